/**
 * The identity service's resource-unit budget per app + tenant, a token bucket as Graph
 * documents it: capacity `unitsPer10s`, refilled continuously at a tenth of that per second.
 * For benchmarks it also notes when the first and the last units were spent, and how much refill
 * was lost in between because the bucket was full.
 */
export class ResourceBudget {
  #tokens: number;
  #at = performance.now();
  unitsSpent = 0;
  throttled = 0;
  /** Refill lost to a full bucket after the first units were spent. */
  unitsWasted = 0;
  /** `performance.now()` of the first and the last spending (undefined before any). */
  firstSpentAt: number | undefined;
  lastSpentAt: number | undefined;

  constructor(readonly unitsPer10s: number) {
    this.#tokens = unitsPer10s;
  }

  /** Takes `cost` units, or returns the seconds to wait (Retry-After) when there are not enough. */
  take(cost: number): number {
    const now = performance.now();
    const rate = this.unitsPer10s / 10_000;
    const refill = (now - this.#at) * rate;
    const room = this.unitsPer10s - this.#tokens;
    if (this.firstSpentAt !== undefined && refill > room) this.unitsWasted += refill - room;
    this.#tokens = Math.min(this.unitsPer10s, this.#tokens + refill);
    this.#at = now;
    if (this.#tokens >= cost) {
      this.#tokens -= cost;
      this.unitsSpent += cost;
      this.firstSpentAt ??= now;
      this.lastSpentAt = now;
      return 0;
    }
    this.throttled++;
    return Math.max(1, Math.ceil((cost - this.#tokens) / rate / 1000));
  }
}

/**
 * The documented cost of a GET on an identity path (relative to the version segment):
 * base cost from Graph's table, −1 with `$select`, +1 with `$expand`, −1 with `$top` < 20,
 * never below 1.
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
  const top = Number(query.get("$top"));
  if (query.has("$top") && top < 20) cost--;
  return Math.max(1, cost);
}
