import { OverstapError } from "../../src/errors.js";
import type { EntraConfig } from "./config.js";
import type { GraphClient, Json } from "./http.js";
import { splitMembers } from "./map.js";
import type { Membership } from "./membership.js";

/** Which users and groups a pull keeps (undefined: no restriction of that kind). */
export interface Scope {
  /** Users allowed by the group and administrative-unit scopes. */
  users?: Set<string>;
  /** Groups kept. */
  groups?: Set<string>;
  /** Lower-case UPN domains kept. */
  domains?: Set<string>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function intersect(a: Set<string> | undefined, b: Set<string>): Set<string> {
  return a ? new Set([...a].filter((x) => b.has(x))) : b;
}

function resolveNames(source: string, key: string, wanted: string[], known: Map<string, string>): string[] {
  const byName = new Map<string, string>();
  for (const [id, name] of known) byName.set(name.toLowerCase(), id);
  return wanted.map((w) => {
    const id = GUID.test(w) && known.has(w.toLowerCase()) ? w.toLowerCase() : byName.get(w.toLowerCase());
    if (!id) {
      throw new OverstapError(
        "CONFIG_INVALID",
        `${source}: ${key} names "${w}", which is not in the tenant`,
        {
          hint: `Use the object id or the exact display name of an existing ${key === "scope.groups" ? "group" : "administrative unit"}.`,
        },
      );
    }
    return id;
  });
}

/**
 * Works out the scope of a pull: members (at any depth) of the scope groups, members of the
 * administrative units, and users of the listed UPN domains; all given restrictions apply.
 */
export async function resolveScope(
  cfg: EntraConfig,
  source: string,
  client: GraphClient,
  membership: Membership,
  groupNames: Map<string, string>,
): Promise<Scope> {
  const scope: Scope = {};
  if (cfg.scope.domains) scope.domains = new Set(cfg.scope.domains.map((d) => d.toLowerCase()));
  if (cfg.scope.groups) {
    const users = new Set<string>();
    const groups = new Set<string>();
    for (const id of resolveNames(source, "scope.groups", cfg.scope.groups, groupNames)) {
      for (const g of membership.transitiveGroups(id)) groups.add(g);
      for (const u of membership.transitiveUsers(id)) users.add(u);
    }
    scope.users = users;
    scope.groups = groups;
  }
  if (cfg.scope.administrativeUnits) {
    const units = await client.all(
      `directory/administrativeUnits?$select=id,displayName&$top=${cfg.pageSize}`,
    );
    const names = new Map(units.map((u: Json) => [String(u.id).toLowerCase(), String(u.displayName ?? "")]));
    const users = new Set<string>();
    const groups = new Set<string>();
    for (const id of resolveNames(
      source,
      "scope.administrativeUnits",
      cfg.scope.administrativeUnits,
      names,
    )) {
      const m = splitMembers(
        await client.all(`directory/administrativeUnits/${id}/members?$select=id&$top=${cfg.pageSize}`),
      );
      for (const u of m.users) users.add(u);
      for (const g of m.groups) groups.add(g);
    }
    scope.users = intersect(scope.users, users);
    scope.groups = intersect(scope.groups, groups);
  }
  return scope;
}

/** True when a user (Graph object) is inside the scope. */
export function userInScope(scope: Scope, raw: Json): boolean {
  const id = String(raw.id);
  if (scope.users && !scope.users.has(id)) return false;
  if (scope.domains) {
    const upn = typeof raw.userPrincipalName === "string" ? raw.userPrincipalName : "";
    const domain = upn.slice(upn.lastIndexOf("@") + 1).toLowerCase();
    if (!scope.domains.has(domain)) return false;
  }
  return true;
}

/** True when a group is inside the scope. */
export function groupInScope(scope: Scope, id: string): boolean {
  return !scope.groups || scope.groups.has(id);
}
