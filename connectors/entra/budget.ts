/**
 * The client's side of Graph's identity throttling: a token bucket of resource units per
 * app + tenant, spent before each request is sent so the service never has to say 429.
 */
export class UnitBudget {
  readonly #capacity: number;
  readonly #ratePerMs: number;
  #tokens: number;
  #at = performance.now();
  #pausedUntil = 0;
  #chain: Promise<void> = Promise.resolve();

  constructor(unitsPer10s: number) {
    if (!Number.isInteger(unitsPer10s) || unitsPer10s < 1) {
      throw new TypeError(`unitsPer10s must be a positive integer, got ${unitsPer10s}`);
    }
    this.#capacity = unitsPer10s;
    this.#ratePerMs = unitsPer10s / 10_000;
    this.#tokens = unitsPer10s;
  }

  /** Waits (first come, first served) until `cost` units are available and takes them. */
  take(cost: number, signal?: AbortSignal): Promise<void> {
    const turn = this.#chain.then(() => this.#acquire(Math.min(cost, this.#capacity), signal));
    this.#chain = turn.catch(() => undefined);
    return turn;
  }

  /** Stops spending for `ms` (the service said Retry-After) and empties the bucket. */
  pause(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, performance.now() + ms);
    this.#tokens = 0;
    this.#at = this.#pausedUntil;
  }

  async #acquire(cost: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = performance.now();
      if (now < this.#pausedUntil) {
        await sleep(this.#pausedUntil - now, signal);
        continue;
      }
      this.#tokens = Math.min(this.#capacity, this.#tokens + (now - this.#at) * this.#ratePerMs);
      this.#at = now;
      if (this.#tokens >= cost) {
        this.#tokens -= cost;
        return;
      }
      await sleep((cost - this.#tokens) / this.#ratePerMs, signal);
    }
  }
}

/**
 * The resource-unit cost Graph documents for a GET on an identity path (relative to the
 * version segment): `users` 2, `groups/{id}/members` 3, `groups/{id}/transitiveMembers` 5,
 * `users/{id}/memberOf` 2, anything else 1; −1 with `$select`, +1 with `$expand`, −1 with
 * `$top` below 20; never below 1.
 */
export function requestCost(path: string, query: URLSearchParams): number {
  const p = path.replace(/^\/+/, "");
  let cost = 1;
  if (p === "users") cost = 2;
  else if (/^groups\/[^/]+\/members$/.test(p)) cost = 3;
  else if (/^groups\/[^/]+\/transitiveMembers$/.test(p)) cost = 5;
  else if (/^users\/[^/]+\/(memberOf|transitiveMemberOf|ownedObjects)$/.test(p)) cost = 2;
  if (query.has("$select")) cost--;
  if (query.has("$expand")) cost++;
  if (query.has("$top") && Number(query.get("$top")) < 20) cost--;
  return Math.max(1, cost);
}

/** Resolves after `ms`, or rejects when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(
      () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
