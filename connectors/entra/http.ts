import PQueue from "p-queue";
import { OverstapError } from "../../src/errors.js";
import type { TokenSource } from "./auth.js";
import { requestCost, sleep, UnitBudget } from "./budget.js";
import { graphHttpError, isRetryableStatus, transportError } from "./errors.js";

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

/** Why one attempt failed in a way worth another try. */
class Transient extends Error {
  constructor(
    readonly retryAfterMs: number | undefined,
    readonly last: () => OverstapError,
  ) {
    super("transient");
  }
}

/**
 * A well-behaved Graph client: bounded concurrency (p-queue), the resource-unit budget spent
 * before sending, Retry-After honoured on 429/503/504 (and the whole client pauses), jittered
 * exponential backoff, a timeout per attempt, broken JSON retried, one token refresh on 401.
 */
export class GraphClient {
  readonly #o: GraphClientOptions;
  readonly #queue: PQueue;
  readonly #budget: UnitBudget;
  readonly #base: URL;
  requests = 0;
  retried = 0;

  constructor(options: GraphClientOptions) {
    this.#o = options;
    this.#queue = new PQueue({ concurrency: options.concurrency });
    this.#budget = new UnitBudget(options.unitsPer10s);
    this.#base = new URL(`${options.baseUrl}/`);
  }

  /** GETs a path (relative to the base URL) or an absolute link Graph gave; undefined on 404 when allowed. */
  async get(pathOrLink: string, opts: { allow404?: boolean } = {}): Promise<Json | undefined> {
    const url = /^https:\/\//.test(pathOrLink) ? pathOrLink : new URL(pathOrLink, this.#base).toString();
    return this.#queue.add(() => this.#withRetries(url, opts.allow404 === true));
  }

  /** GETs one page of a collection. */
  async page(pathOrLink: string): Promise<GraphPage> {
    const body = (await this.get(pathOrLink)) as Json;
    return {
      value: Array.isArray(body.value) ? (body.value as Json[]) : [],
      nextLink: typeof body["@odata.nextLink"] === "string" ? body["@odata.nextLink"] : undefined,
      deltaLink: typeof body["@odata.deltaLink"] === "string" ? body["@odata.deltaLink"] : undefined,
    };
  }

  /** All items of a collection, following `@odata.nextLink` verbatim. */
  async all(path: string): Promise<Json[]> {
    const out: Json[] = [];
    let link: string | undefined = path;
    while (link) {
      const page: GraphPage = await this.page(link);
      for (const v of page.value) out.push(v);
      link = page.nextLink;
    }
    return out;
  }

  #relative(url: string): { path: string; query: URLSearchParams } {
    const u = new URL(url);
    const basePath = this.#base.pathname;
    const path = u.pathname.startsWith(basePath)
      ? u.pathname.slice(basePath.length)
      : u.pathname.replace(/^\/[^/]+\//, "");
    return { path: decodeURIComponent(path), query: u.searchParams };
  }

  async #withRetries(url: string, allow404: boolean): Promise<Json | undefined> {
    const { path, query } = this.#relative(url);
    const cost = requestCost(path, query);
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      this.#o.signal?.throwIfAborted();
      await this.#budget.take(cost, this.#o.signal);
      try {
        return await this.#attempt(url, path, allow404, refreshed);
      } catch (err) {
        if (err instanceof RefreshToken) {
          refreshed = true;
          attempt--;
          continue;
        }
        if (!(err instanceof Transient)) throw err;
        if (attempt >= this.#o.retries) throw err.last();
        this.retried++;
        const backoff = Math.min(30_000, 250 * 2 ** attempt) * (0.5 + Math.random() / 2);
        if (err.retryAfterMs !== undefined) this.#budget.pause(err.retryAfterMs);
        await sleep(err.retryAfterMs ?? backoff, this.#o.signal);
      }
    }
  }

  async #attempt(
    url: string,
    path: string,
    allow404: boolean,
    refreshed: boolean,
  ): Promise<Json | undefined> {
    const source = this.#o.source;
    const token = await this.#o.tokens.get(refreshed);
    const signals = [AbortSignal.timeout(this.#o.timeoutMs)];
    if (this.#o.signal) signals.push(this.#o.signal);
    this.requests++;
    let res: Response;
    let text: string;
    try {
      res = await this.#o.fetch(url, {
        headers: { authorization: `Bearer ${token}`, accept: "application/json" },
        signal: AbortSignal.any(signals),
      });
      text = await res.text();
    } catch (err) {
      this.#o.signal?.throwIfAborted();
      throw new Transient(undefined, () => transportError(source, url, err));
    }
    if (res.status === 200) {
      try {
        return JSON.parse(text) as Json;
      } catch (err) {
        throw new Transient(undefined, () =>
          transportError(source, url, new Error("the response is not valid JSON", { cause: err })),
        );
      }
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (res.status === 404 && allow404) return undefined;
    if (res.status === 401 && !refreshed) throw new RefreshToken();
    if (isRetryableStatus(res.status)) {
      const ra = Number(res.headers.get("retry-after"));
      throw new Transient(
        Number.isFinite(ra) && ra >= 0 && res.headers.has("retry-after") ? ra * 1000 : undefined,
        () => graphHttpError(source, res.status, body, path),
      );
    }
    throw graphHttpError(source, res.status, body, path);
  }
}

class RefreshToken extends Error {}

/** True when `err` means a delta link can no longer be used. */
export function isDeltaExpired(err: unknown): boolean {
  return err instanceof OverstapError && err.code === "SOURCE_DELTA_EXPIRED";
}
