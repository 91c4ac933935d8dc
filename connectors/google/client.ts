import PQueue from "p-queue";
import type { OverstapError } from "../../src/errors.js";
import { backoffMs, retryAfterMs, sendRequest, sleep, UnitBudget } from "../http/index.js";
import type { TokenSource } from "./auth.js";
import { directoryError, type ErrorFacts, isRetryable, transportError } from "./errors.js";

export type Json = Record<string, unknown>;

export interface DirectoryClientOptions {
  facts: ErrorFacts;
  baseUrl: string;
  tokens: TokenSource;
  fetch: typeof fetch;
  concurrency: number;
  quota: { queries: number; windowSeconds: number };
  timeoutMs: number;
  retries: number;
  signal?: AbortSignal;
}

/** How one GET is sent. */
export interface GetOptions {
  /** It continues a chain of pages that everything else waits for: it goes first. */
  priority?: boolean;
  /** Attempts after the first; the client's setting when absent. */
  retries?: number;
}

/** What became of one attempt. */
type Outcome =
  | { kind: "done"; body: Json }
  | { kind: "failed"; error: OverstapError }
  | { kind: "retry"; waitMs?: number; error: () => OverstapError }
  | { kind: "refresh" };

/**
 * A careful Directory API client: bounded concurrency, the queries-per-window quota spent before
 * each request is sent (a token bucket, so Google never has to refuse one), 429, the 403 rate
 * reasons and 5xx retried with jittered exponential backoff and `Retry-After`, a timeout per
 * attempt, broken bodies retried, one token refresh on 401. `dailyLimitExceeded` and other 403s
 * are final.
 */
export class DirectoryClient {
  readonly #o: DirectoryClientOptions;
  readonly #queue: PQueue;
  readonly #budget: UnitBudget;
  /** Requests sent, and attempts repeated after a transient failure. */
  requests = 0;
  retried = 0;

  constructor(options: DirectoryClientOptions) {
    this.#o = options;
    this.#queue = new PQueue({ concurrency: options.concurrency });
    this.#budget = new UnitBudget(options.quota.queries, options.quota.windowSeconds * 1000);
  }

  /**
   * GETs `path` (relative to the base URL) with `query`; `what` names the call in errors.
   * @example await client.get("users", { customer: "my_customer", maxResults: "500" }, "list users")
   */
  get(path: string, query: Record<string, string>, what: string, opts: GetOptions = {}): Promise<Json> {
    const url = `${this.#o.baseUrl}/${path}?${new URLSearchParams(query).toString()}`;
    const priority = opts.priority === true;
    return this.#queue.add(() => this.#execute(url, what, priority, opts.retries ?? this.#o.retries), {
      priority: priority ? 1 : 0,
    }) as Promise<Json>;
  }

  async #execute(url: string, what: string, priority: boolean, retries: number): Promise<Json> {
    let refreshed = false;
    let force = false;
    for (let attempt = 0; ; attempt++) {
      this.#o.signal?.throwIfAborted();
      const ticket = await this.#budget.take(1, this.#o.signal, priority);
      let outcome: Outcome;
      try {
        const token = await this.#o.tokens.get(force);
        force = false;
        outcome = await this.#attempt(url, token, what, refreshed);
      } finally {
        this.#budget.settled(ticket);
      }
      if (outcome.kind === "done") return outcome.body;
      if (outcome.kind === "failed") throw outcome.error;
      if (outcome.kind === "refresh") {
        refreshed = true;
        force = true;
        attempt--;
        continue;
      }
      if (attempt >= retries) throw outcome.error();
      this.retried++;
      if (outcome.waitMs !== undefined) this.#budget.pause(outcome.waitMs);
      await sleep(outcome.waitMs ?? backoffMs(attempt), this.#o.signal);
    }
  }

  async #attempt(url: string, token: string, what: string, refreshed: boolean): Promise<Outcome> {
    const { facts } = this.#o;
    this.requests++;
    const res = await sendRequest(
      this.#o.fetch,
      url,
      { method: "GET", headers: { authorization: `Bearer ${token}`, accept: "application/json" } },
      { timeoutMs: this.#o.timeoutMs, ...(this.#o.signal ? { signal: this.#o.signal } : {}) },
    );
    if ("error" in res) return { kind: "retry", error: () => transportError(facts.source, url, res.error) };
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch (err) {
      if (res.status === 200 || isRetryable(res.status, undefined)) {
        const broken = new Error(`the answer (${res.status}) is not valid JSON`, { cause: err });
        return { kind: "retry", error: () => transportError(facts.source, url, broken) };
      }
    }
    if (res.status === 200 && typeof body === "object" && body !== null)
      return { kind: "done", body: body as Json };
    if (res.status === 401 && !refreshed) return { kind: "refresh" };
    const error = () => directoryError(facts, res.status, body, what);
    if (isRetryable(res.status, body)) {
      const waitMs = retryAfterMs(res.headers.get("retry-after"));
      return { kind: "retry", ...(waitMs === undefined ? {} : { waitMs }), error };
    }
    return { kind: "failed", error: error() };
  }
}
