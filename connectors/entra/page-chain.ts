import type { GetOptions, GraphClient, GraphPage } from "./http.js";

/** A page and the link it was read from. */
export interface ChainedPage {
  link: string;
  page: GraphPage;
}

/**
 * Reads a chain of `@odata.nextLink` pages ahead of its consumer: each page is requested as
 * soon as the one before it arrives, so the chain runs while the consumer works (or waits for
 * other requests). A failure is kept and thrown when the consumer reaches it; `stop` ends the
 * chain after the page in flight.
 */
export class PageChain {
  readonly #pages: ChainedPage[] = [];
  #failed = false;
  #error: unknown;
  #done = false;
  #stopped = false;
  #wake: (() => void) | undefined;

  constructor(client: GraphClient, first: string, opts: GetOptions = {}) {
    void this.#run(client, first, opts);
  }

  async #run(client: GraphClient, first: string, opts: GetOptions): Promise<void> {
    let link: string | undefined = first;
    try {
      while (link && !this.#stopped) {
        const page: GraphPage = await client.page(link, opts);
        this.#pages.push({ link, page });
        link = page.nextLink;
        this.#wake?.();
      }
    } catch (err) {
      this.#failed = true;
      this.#error = err;
    }
    this.#done = true;
    this.#wake?.();
  }

  /** The next page of the chain, or undefined after the last one. */
  async next(): Promise<ChainedPage | undefined> {
    for (;;) {
      const item = this.#pages.shift();
      if (item) return item;
      if (this.#failed) throw this.#error;
      if (this.#done) return undefined;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
  }

  /** Reads no further pages. */
  stop(): void {
    this.#stopped = true;
  }
}
