/**
 * The Directory API's query quota as its "Limits and quotas" page describes it: queries per
 * window per user (default 2,400 per minute), refused with 403 `userRateLimitExceeded`; and a
 * limit of concurrent requests, refused with 403 `quotaExceeded` (or 429 `rateLimitExceeded`).
 * The window is a token bucket: full at the start, refilled evenly.
 */
export class QueryQuota {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  #inFlight = 0;
  accepted = 0;
  throttled = 0;
  firstAt: number | undefined;
  lastAt: number | undefined;

  constructor(
    readonly queries: number,
    readonly windowMs: number,
    readonly maxConcurrent = 100,
    /** Queries per day for the project; 403 `dailyLimitExceeded` after them. */
    public daily = Number.POSITIVE_INFINITY,
  ) {}

  /** Takes one query of `user`; the refusal's reason when none is left. */
  take(
    user: string,
    now = performance.now(),
  ): "userRateLimitExceeded" | "quotaExceeded" | "dailyLimitExceeded" | undefined {
    if (this.accepted >= this.daily) {
      this.throttled++;
      return "dailyLimitExceeded";
    }
    if (this.#inFlight >= this.maxConcurrent) {
      this.throttled++;
      return "quotaExceeded";
    }
    const b = this.#buckets.get(user) ?? { tokens: this.queries, at: now };
    b.tokens = Math.min(this.queries, b.tokens + ((now - b.at) * this.queries) / this.windowMs);
    b.at = now;
    this.#buckets.set(user, b);
    if (b.tokens < 1) {
      this.throttled++;
      return "userRateLimitExceeded";
    }
    b.tokens -= 1;
    this.accepted++;
    this.firstAt ??= now;
    this.lastAt = now;
    this.#inFlight++;
    return undefined;
  }

  /** A request taken with {@link QueryQuota.take} is answered. */
  done(): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
  }
}
