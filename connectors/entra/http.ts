import PQueue from "p-queue";
import { OverstapError } from "../../src/errors.js";
import {
  backoffMs,
  type HttpAnswer,
  type HttpFailure,
  isRetryableStatus,
  retryAfterMs,
  sendRequest,
  sleep,
  UnitBudget,
} from "../http/index.js";
import type { TokenSource } from "./auth.js";
import { batchBody, MAX_BATCH, readBatchResponses } from "./batch.js";
import { requestCost } from "./cost.js";
import { graphHttpError, transportError } from "./errors.js";

export type Json = Record<string, unknown>;

/** One page of a Graph collection. */
export interface GraphPage {
  value: Json[];
  nextLink?: string;
  deltaLink?: string;
}

export interface GraphClientOptions {
  source: string;
  baseUrl: string;
  tokens: TokenSource;
  fetch: typeof fetch;
  concurrency: number;
  unitsPer10s: number;
  timeoutMs: number;
  retries: number;
  signal?: AbortSignal;
}

/** How one GET is sent. */
export interface GetOptions {
  /** Resolve with undefined on 404 instead of failing. */
  allow404?: boolean;
  /** Send it inside a JSON batch (`POST $batch`, at most 20 requests) with other small requests. */
  batch?: boolean;
  /** It continues a sequential chain of pages: it goes before fan-out requests. */
  priority?: boolean;
}

/** One GET on its way: where it goes, what it costs, and whom to tell. */
interface Call {
  url: string;
  /** Path relative to the version root, decoded: for costs, permissions and messages. */
  path: string;
  /** Path and query relative to the version root as Graph gave them; undefined when elsewhere. */
  relative?: string;
  cost: number;
  allow404: boolean;
  priority: boolean;
  resolve(value: Json | undefined): void;
  reject(err: unknown): void;
}

/** What became of one call in one attempt. */
type Outcome =
  | { kind: "done" }
  | { kind: "retry"; retryAfterMs?: number; last: () => OverstapError }
  | { kind: "refresh" };

const DONE: Outcome = { kind: "done" };

/** A relative path (no scheme, no dot segments) whose characters URL parsing leaves as they are. */
const PLAIN_RELATIVE = /^[A-Za-z0-9_~$,=&-]+(?:\/[A-Za-z0-9_~$,=&-]+)*(?:\?[A-Za-z0-9_~$,=&%/-]*)?$/;

/**
 * A well-behaved Graph client: bounded concurrency (p-queue, with a quarter of the slots kept
 * for requests that continue a chain of pages, so they never wait behind fan-out requests that
 * hold a slot while waiting for units), the resource-unit budget spent before sending (every
 * request inside a batch counts), Retry-After honoured on 429/503/504
 * (and the whole client pauses), jittered exponential backoff, a timeout per attempt, broken
 * JSON retried, one token refresh on 401. Small requests marked `batch` are gathered into JSON
 * batches of up to 20; a failed request inside a batch is retried on its own merits.
 */
export class GraphClient {
  readonly #o: GraphClientOptions;
  /** Slots for fan-out requests, and slots kept for requests that continue a chain of pages. */
  readonly #fanOut: PQueue;
  readonly #chains: PQueue;
  readonly #budget: UnitBudget;
  readonly #base: URL;
  #pending: Call[] = [];
  #flushScheduled = false;
  /** HTTP requests sent (a batch counts once). */
  requests = 0;
  /** Attempts repeated after a transient failure. */
  retried = 0;

  constructor(options: GraphClientOptions) {
    this.#o = options;
    const kept = Math.floor(options.concurrency / 4);
    this.#fanOut = new PQueue({ concurrency: options.concurrency - kept });
    this.#chains = kept > 0 ? new PQueue({ concurrency: kept }) : this.#fanOut;
    this.#budget = new UnitBudget(options.unitsPer10s);
    this.#base = new URL(`${options.baseUrl}/`);
  }

  /** GETs a path (relative to the base URL) or an absolute link Graph gave; undefined on 404 when allowed. */
  get(pathOrLink: string, opts: GetOptions = {}): Promise<Json | undefined> {
    const { url, path, query } = this.#locate(pathOrLink);
    return new Promise((resolve, reject) => {
      const call: Call = {
        url,
        path: decodeURIComponent(path),
        relative: url.startsWith(this.#base.href) ? url.slice(this.#base.href.length) : undefined,
        cost: requestCost(decodeURIComponent(path), query),
        allow404: opts.allow404 === true,
        priority: opts.priority === true,
        resolve,
        reject,
      };
      if (opts.batch && call.relative !== undefined) this.#enqueue(call);
      else this.#schedule([call]);
    });
  }

  /**
   * The absolute URL of a path or link, its path relative to the version root (or, elsewhere,
   * to its first segment) and its query. A relative path of plain characters, as the connector
   * builds them by the thousand, is joined without parsing: URL parsing would leave it as it is.
   */
  #locate(pathOrLink: string): { url: string; path: string; query: URLSearchParams } {
    if (PLAIN_RELATIVE.test(pathOrLink)) {
      const q = pathOrLink.indexOf("?");
      return {
        url: this.#base.href + pathOrLink,
        path: q < 0 ? pathOrLink : pathOrLink.slice(0, q),
        query: new URLSearchParams(q < 0 ? "" : pathOrLink.slice(q + 1)),
      };
    }
    const url = /^https:\/\//.test(pathOrLink) ? pathOrLink : new URL(pathOrLink, this.#base).toString();
    const u = new URL(url);
    const basePath = this.#base.pathname;
    const path = u.pathname.startsWith(basePath)
      ? u.pathname.slice(basePath.length)
      : u.pathname.replace(/^\/[^/]+\//, "");
    return { url, path, query: u.searchParams };
  }

  /** GETs one page of a collection. */
  async page(pathOrLink: string, opts: GetOptions = {}): Promise<GraphPage> {
    const body = (await this.get(pathOrLink, opts)) as Json;
    return {
      value: Array.isArray(body.value) ? (body.value as Json[]) : [],
      nextLink: typeof body["@odata.nextLink"] === "string" ? body["@odata.nextLink"] : undefined,
      deltaLink: typeof body["@odata.deltaLink"] === "string" ? body["@odata.deltaLink"] : undefined,
    };
  }

  /**
   * All items of a (usually small) collection, following `@odata.nextLink` verbatim; the first
   * page travels in a batch, the pages after it (a chain) go alone and before fan-out requests.
   */
  async all(path: string): Promise<Json[]> {
    const out: Json[] = [];
    let link: string | undefined = path;
    for (let first = true; link; first = false) {
      const page: GraphPage = await this.page(link, first ? { batch: true } : { priority: true });
      for (const v of page.value) out.push(v);
      link = page.nextLink;
    }
    return out;
  }

  #enqueue(call: Call): void {
    this.#pending.push(call);
    if (this.#pending.length >= MAX_BATCH) this.#flush();
    else if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => {
        this.#flushScheduled = false;
        this.#flush();
      });
    }
  }

  #flush(): void {
    while (this.#pending.length > 0) this.#schedule(this.#pending.splice(0, MAX_BATCH));
  }

  #schedule(calls: Call[]): void {
    const priority = calls.some((c) => c.priority);
    (priority ? this.#chains : this.#fanOut)
      .add(() => this.#execute(calls), { priority: priority ? 1 : 0 })
      .catch((err: unknown) => {
        for (const c of calls) c.reject(err);
      });
  }

  async #execute(calls: Call[]): Promise<void> {
    let pending = calls;
    let forceToken = false;
    let refreshed = false;
    const last = new Map<Call, () => OverstapError>();
    for (let attempt = 0; ; attempt++) {
      this.#o.signal?.throwIfAborted();
      const cost = pending.reduce((n, c) => n + c.cost, 0);
      const priority = pending.some((c) => c.priority);
      const ticket = await this.#budget.take(cost, this.#o.signal, priority);
      let outcomes: Outcome[];
      try {
        const token = await this.#o.tokens.get(forceToken);
        forceToken = false;
        outcomes =
          pending.length === 1
            ? [await this.#sendOne(pending[0] as Call, token, refreshed)]
            : await this.#sendBatch(pending, token, refreshed);
      } finally {
        this.#budget.settled(ticket);
      }
      const again: Call[] = [];
      let wait: number | undefined;
      let refresh = false;
      outcomes.forEach((o, i) => {
        const call = pending[i] as Call;
        if (o.kind === "done") return;
        again.push(call);
        if (o.kind === "refresh") refresh = true;
        else {
          last.set(call, o.last);
          if (o.retryAfterMs !== undefined) wait = Math.max(wait ?? 0, o.retryAfterMs);
        }
      });
      if (again.length === 0) return;
      pending = again;
      if (refresh) {
        forceToken = true;
        refreshed = true;
        attempt--;
        continue;
      }
      if (attempt >= this.#o.retries) {
        for (const c of pending) c.reject((last.get(c) as () => OverstapError)());
        return;
      }
      this.retried++;
      const backoff = backoffMs(attempt);
      if (wait !== undefined) this.#budget.pause(wait);
      await sleep(wait ?? backoff, this.#o.signal);
    }
  }

  /** Sends a request with the token; a transport failure is returned, the client's signal aborting thrown. */
  #send(
    url: string,
    token: string,
    init: { method?: string; body?: string } = {},
  ): Promise<HttpAnswer | HttpFailure> {
    this.requests++;
    const headers = {
      authorization: `Bearer ${token}`,
      accept: "application/json",
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
    };
    return sendRequest(
      this.#o.fetch,
      url,
      { method: init.method ?? "GET", headers, body: init.body },
      { timeoutMs: this.#o.timeoutMs, signal: this.#o.signal },
    );
  }

  async #sendOne(call: Call, token: string, refreshed: boolean): Promise<Outcome> {
    const source = this.#o.source;
    const res = await this.#send(call.url, token);
    if ("error" in res) return { kind: "retry", last: () => transportError(source, call.url, res.error) };
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch (err) {
      if (res.status === 200) {
        return {
          kind: "retry",
          last: () =>
            transportError(source, call.url, new Error("the response is not valid JSON", { cause: err })),
        };
      }
    }
    return this.#settle(call, res.status, res.headers.get("retry-after"), body, refreshed);
  }

  async #sendBatch(calls: Call[], token: string, refreshed: boolean): Promise<Outcome[]> {
    const source = this.#o.source;
    const url = `${this.#base.href}$batch`;
    const res = await this.#send(url, token, { method: "POST", body: batchBody(calls) });
    const all = (o: Outcome) => calls.map(() => o);
    if ("error" in res) return all({ kind: "retry", last: () => transportError(source, url, res.error) });
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch (err) {
      body = undefined;
      if (res.status === 200) {
        return all({
          kind: "retry",
          last: () =>
            transportError(source, url, new Error("the batch response is not valid JSON", { cause: err })),
        });
      }
    }
    const itemized = Array.isArray((body as { responses?: unknown } | undefined)?.responses);
    if (res.status !== 200 && !(res.status === 424 && itemized)) {
      if (res.status === 401 && !refreshed) return all({ kind: "refresh" });
      const error = () => graphHttpError(source, res.status, body, "$batch");
      if (isRetryableStatus(res.status)) {
        return all({
          kind: "retry",
          retryAfterMs: retryAfterMs(res.headers.get("retry-after")),
          last: error,
        });
      }
      const err = error();
      for (const c of calls) c.reject(err);
      return all(DONE);
    }
    const responses = readBatchResponses(body, calls.length);
    return calls.map((call, i) => {
      const r = responses[i];
      if (!r) {
        return {
          kind: "retry",
          last: () => transportError(source, url, new Error(`the batch response lacks request ${i}`)),
        };
      }
      return this.#settle(call, r.status, r.retryAfter, r.body, refreshed);
    });
  }

  #settle(
    call: Call,
    status: number,
    retryAfter: string | null | undefined,
    body: unknown,
    refreshed: boolean,
  ): Outcome {
    if (status === 200) {
      call.resolve(body as Json);
      return DONE;
    }
    if (status === 404 && call.allow404) {
      call.resolve(undefined);
      return DONE;
    }
    if (status === 401 && !refreshed) return { kind: "refresh" };
    if (isRetryableStatus(status)) {
      return {
        kind: "retry",
        retryAfterMs: retryAfterMs(retryAfter),
        last: () => graphHttpError(this.#o.source, status, body, call.path),
      };
    }
    call.reject(graphHttpError(this.#o.source, status, body, call.path));
    return DONE;
  }
}

/** True when `err` means a delta link can no longer be used. */
export function isDeltaExpired(err: unknown): boolean {
  return err instanceof OverstapError && err.code === "SOURCE_DELTA_EXPIRED";
}
