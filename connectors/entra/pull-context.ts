import type { ProgressFn, SourceEvent } from "../../src/model/connector.js";
import type { Group } from "../../src/model/group.js";
import type { Person } from "../../src/model/person.js";
import type { PreviousSnapshot } from "../../src/state/previous.js";
import type { EntraConfig } from "./config.js";
import type { GraphClient, Json } from "./http.js";
import { GROUP_PROPERTIES, type Invalid, isInvalid, splitMembers, toGroup, userSelect } from "./map.js";
import type { Membership } from "./membership.js";
import { groupInScope, type Scope } from "./scope.js";

/** What a pull works with. */
export interface PullContext {
  name: string;
  cfg: EntraConfig;
  client: GraphClient;
  /** What the last pull left, to resume from or apply deltas to. */
  previous?: PreviousSnapshot;
  progress?: ProgressFn;
}

export const groupSelect = GROUP_PROPERTIES.join(",");

/** The `users` and `groups` delta links as of now, without reading the objects (`$deltatoken=latest`). */
export async function latestDeltaLinks(p: PullContext): Promise<{ users: string; groups: string }> {
  const [users, groups] = await Promise.all([
    p.client.page(`users/delta?$deltatoken=latest&$select=${userSelect(p.cfg)}`),
    p.client.page(`groups/delta?$deltatoken=latest&$select=${groupSelect}`),
  ]);
  if (!users.deltaLink || !groups.deltaLink) {
    throw new Error(`${p.name}: Graph returned no @odata.deltaLink for $deltatoken=latest`);
  }
  return { users: users.deltaLink, groups: groups.deltaLink };
}

/** A group's direct members and owners (users and groups; other object types are ignored). */
export async function readGroupLinks(
  p: PullContext,
  id: string,
): Promise<{ users: string[]; groups: string[]; owners: string[] }> {
  const top = `$top=${p.cfg.pageSize}`;
  const [members, owners] = await Promise.all([
    p.client.all(`groups/${id}/members?$select=id&${top}`),
    p.client.all(`groups/${id}/owners?$select=id&${top}`),
  ]);
  const m = splitMembers(members);
  return { users: m.users, groups: m.groups, owners: splitMembers(owners).users };
}

/**
 * A group as stored between phases: `ext.memberUsers`/`ext.memberGroups` hold its direct
 * members, `members` its direct users until the pull resolves nesting.
 */
export function directGroup(
  name: string,
  raw: Json,
  links: { users: string[]; groups: string[]; owners: string[] },
): Group | Invalid {
  return toGroup(name, raw, {
    members: links.users,
    owners: links.owners,
    memberUsers: links.users,
    memberGroups: links.groups,
  });
}

/** Reads what the store holds of this source: groups (with their direct members) and persons. */
export async function loadStored(
  p: PullContext,
  membership: Membership,
  withPersons: boolean,
): Promise<{ groups: Map<string, Group>; persons: Map<string, Person> }> {
  const groups = new Map<string, Group>();
  const persons = new Map<string, Person>();
  if (!p.previous) return { groups, persons };
  const list = (v: unknown) => (Array.isArray(v) ? v : typeof v === "string" ? [v] : []);
  for await (const g of p.previous.groups()) {
    if (g.ext.memberUsers === undefined) continue;
    groups.set(g.id, g);
    membership.set(g.id, list(g.ext.memberUsers), list(g.ext.memberGroups));
  }
  if (withPersons) for await (const person of p.previous.persons()) persons.set(person.id, person);
  return { groups, persons };
}

/** The groups as they end a pull: nesting resolved into person ids, out-of-scope groups removed. */
export function* finalGroups(
  base: Map<string, Group>,
  membership: Membership,
  scope: Scope,
  persons: Set<string>,
): Generator<SourceEvent> {
  for (const [id, group] of base) {
    if (!groupInScope(scope, id)) {
      yield { type: "remove", kind: "group", id };
      continue;
    }
    const members = sortedUsers(group, membership).filter((u) => persons.has(u));
    yield { type: "group", group: { ...group, members } };
  }
}

/**
 * A group's user members at any depth, sorted. A group without nested groups whose stored
 * direct users (`ext.memberUsers`, sorted when the group was read) are still exactly its direct
 * users needs neither resolving nor sorting: a strictly increasing list of n users that are all
 * in a set of n is that set in order.
 */
function sortedUsers(group: Group, membership: Membership): string[] {
  const direct = membership.users.get(group.id);
  const listed = group.ext.memberUsers;
  const nested = [...(membership.groups.get(group.id) ?? [])].some((g) => membership.users.has(g));
  if (direct && Array.isArray(listed) && listed.length === direct.size && !nested) {
    let same = true;
    for (let i = 0; i < listed.length && same; i++) {
      const u = listed[i] as string;
      same = direct.has(u) && (i === 0 || (listed[i - 1] as string) < u);
    }
    if (same) return listed;
  }
  return [...membership.transitiveUsers(group.id)].sort();
}

/** Turns a mapping result into its event. */
export function eventOf(v: Person | Group | Invalid, kind: "person" | "group"): SourceEvent {
  if (isInvalid(v)) return { type: "invalid", record: v.record, field: v.field, reason: v.reason };
  return kind === "person" ? { type: "person", person: v as Person } : { type: "group", group: v as Group };
}
