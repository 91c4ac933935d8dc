import type { GetOptions, GraphClient, GraphPage } from "./http.js";

/** A page, the link it was read from, and what was started for it when it arrived. */
export interface ChainedPage<T = undefined> {
  link: string;
  page: GraphPage;
  started: T;
}

/**
 * Reads a chain of `@odata.nextLink` pages ahead of its consumer: each page is requested as
 * soon as the one before it arrives, so the chain runs while the consumer works (or waits for
 * other requests). `start` runs on each page as it arrives, after the next page was asked for
 * (e.g. to ask for what the page's objects need, or to map them), so that work overlaps too. A
 * failure is kept and thrown when the consumer reaches it; `stop` ends the chain after the page
 * in flight.
 */
export class PageChain<T = undefined> {
  readonly #pages: ChainedPage<T>[] = [];
  #failed = false;
  #error: unknown;
  #done = false;
  #stopped = false;
  #wake: (() => void) | undefined;

  constructor(
    client: GraphClient,
    first: string,
    opts: GetOptions = {},
    start: (page: GraphPage) => T = () => undefined as T,
  ) {
    void this.#run(client, first, opts, start);
  }

  async #run(
    client: GraphClient,
    first: string,
    opts: GetOptions,
    start: (page: GraphPage) => T,
  ): Promise<void> {
    let link = first;
    let pending: Promise<GraphPage> | undefined = client.page(link, opts);
    try {
      while (pending) {
        const page: GraphPage = await pending;
        const current = link;
        pending = undefined;
        if (page.nextLink && !this.#stopped) {
          link = page.nextLink;
          pending = client.page(link, opts);
          pending.catch(() => undefined);
        }
        this.#pages.push({ link: current, page, started: start(page) });
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
  async next(): Promise<ChainedPage<T> | undefined> {
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
