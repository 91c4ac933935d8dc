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
 * The base resource-unit costs of "Identity and access service limits" in Microsoft Graph's
 * service-specific throttling limits (learn.microsoft.com/graph/throttling-limits), row by row
 * as the page lists them: method, request path (relative to the version segment), cost.
 */
const BASE_COSTS: readonly (readonly [string, string, number])[] = [
  ["GET", "applications", 2],
  ["GET", "applications/{id}/extensionProperties", 2],
  ["GET", "contracts", 3],
  ["POST", "directoryObjects/getByIds", 3],
  ["GET", "domains/{id}/domainNameReferences", 4],
  ["POST", "getObjectsById", 3],
  ["GET", "groups/{id}/members", 3],
  ["GET", "groups/{id}/transitiveMembers", 5],
  ["POST", "isMemberOf", 4],
  ["POST", "me/checkMemberGroups", 4],
  ["POST", "me/checkMemberObjects", 4],
  ["POST", "me/getMemberGroups", 2],
  ["POST", "me/getMemberObjects", 2],
  ["GET", "me/licenseDetails", 2],
  ["GET", "me/memberOf", 2],
  ["GET", "me/ownedObjects", 2],
  ["GET", "me/transitiveMemberOf", 2],
  ["GET", "oauth2PermissionGrants", 2],
  ["GET", "oauth2PermissionGrants/{id}", 2],
  ["GET", "servicePrincipals/{id}/appRoleAssignments", 2],
  ["GET", "subscribedSkus", 3],
  ["GET", "users", 2],
];

/** Whether `segments` is the listed path `pattern`, `{id}` standing for any one segment. */
function matches(pattern: string, segments: string[]): boolean {
  const parts = pattern.split("/");
  return parts.length === segments.length && parts.every((p, i) => p === "{id}" || p === segments[i]);
}

/**
 * What a request costs the app + tenant's resource-unit bucket, by the same page: the base cost
 * of its row (1 when not listed; a `me/` row also applies to `users/{id | userPrincipalName}/`),
 * then `$select` −1, `$expand` +1, `$top` below 20 −1; never below 1.
 */
export function requestCost(path: string, query: URLSearchParams, method = "GET"): number {
  const segments = path.split("/").filter((s) => s !== "");
  const asMe = segments[0] === "users" && segments.length > 2 ? ["me", ...segments.slice(2)] : undefined;
  const row = BASE_COSTS.find(
    ([m, pattern]) =>
      m === method && (matches(pattern, segments) || (asMe !== undefined && matches(pattern, asMe))),
  );
  let cost = row?.[2] ?? 1;
  if (query.has("$select")) cost -= 1;
  if (query.has("$expand")) cost += 1;
  const top = query.get("$top");
  if (top !== null && Number(top) < 20) cost -= 1;
  return Math.max(1, cost);
}
