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
