import type { SourceEvent } from "../../src/model/connector.js";
import type { Group } from "../../src/model/group.js";
import type { Person } from "../../src/model/person.js";
import type { DeltaCheckpoint } from "./checkpoint.js";
import type { Json } from "./http.js";
import { graphGroup, isInvalid, splitMembers, toPerson, userSelect } from "./map.js";
import { Membership } from "./membership.js";
import { directGroup, eventOf, finalGroups, loadStored, type PullContext } from "./pull-context.js";
import { groupInScope, resolveScope, userInScope } from "./scope.js";

type Change = Json | "removed";

/** Follows a delta link to the end of its round; returns the changes and the next delta link. */
async function readRound(p: PullContext, link: string, onItem: (item: Json) => void): Promise<string> {
  let next: string | undefined = link;
  for (;;) {
    const page = await p.client.page(next);
    for (const item of page.value) onItem(item);
    if (page.deltaLink) return page.deltaLink;
    if (!page.nextLink)
      throw new Error(`${p.name}: a delta page had neither @odata.nextLink nor @odata.deltaLink`);
    next = page.nextLink;
  }
}

/** A group's owners (user ids), or undefined when the group no longer exists. */
async function readOwners(p: PullContext, id: string): Promise<string[] | undefined> {
  const owners: string[] = [];
  let link: string | undefined = `groups/${id}/owners?$select=id&$top=${p.cfg.pageSize}`;
  for (let first = true; link; first = false) {
    const body = await p.client.get(link, { allow404: true, batch: true, priority: !first });
    if (!body) return undefined;
    const value = Array.isArray(body.value) ? (body.value as Json[]) : [];
    owners.push(...splitMembers(value).users);
    link = typeof body["@odata.nextLink"] === "string" ? body["@odata.nextLink"] : undefined;
  }
  return owners;
}

function stable(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === "object" && !Array.isArray(val)
      ? Object.fromEntries(
          Object.entries(val as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : val,
  );
}

/**
 * An incremental pull from the stored delta links: reads both delta rounds to the end first
 * (a 410 there throws SOURCE_DELTA_EXPIRED before anything is yielded, so the caller can fall
 * back to a full pull), applies `@removed` and `members@delta` to the stored snapshot, re-reads
 * changed objects, and yields only what differs from the store, then the new delta links.
 */
export async function* deltaPull(p: PullContext, cp: DeltaCheckpoint): AsyncGenerator<SourceEvent> {
  const { cfg, client, name } = p;
  const membership = new Membership();
  const stored = await loadStored(p, membership, true);
  const users = new Map<string, Change>();
  const groups = new Map<string, Change>();
  const usersLink = await readRound(p, cp.deltaLinks.users, (item) => {
    users.set(String(item.id), item["@removed"] ? "removed" : item);
  });
  const groupsLink = await readRound(p, cp.deltaLinks.groups, (item) => {
    const id = String(item.id);
    if (item["@removed"]) {
      groups.set(id, "removed");
      return;
    }
    groups.set(id, item);
    membership.ensure(id);
    for (const m of (item["members@delta"] as Json[] | undefined) ?? []) {
      const type =
        m["@odata.type"] === "#microsoft.graph.group"
          ? "group"
          : m["@odata.type"] === "#microsoft.graph.user"
            ? "user"
            : undefined;
      if (type) membership.apply(id, String(m.id), type, m["@removed"] !== undefined);
    }
  });

  const base = new Map<string, Group>(stored.groups);
  for (const [id, change] of users) if (change === "removed") membership.deleteUser(id);
  await Promise.all(
    [...groups].map(async ([id, change]) => {
      const owners = change === "removed" ? undefined : await readOwners(p, id);
      if (change === "removed" || !owners) {
        membership.deleteGroup(id);
        base.delete(id);
        return;
      }
      const before = stored.groups.get(id);
      const group = directGroup(
        name,
        { ...(before ? graphGroup(before) : {}), ...change },
        {
          users: [...(membership.users.get(id) ?? [])],
          groups: [...(membership.groups.get(id) ?? [])],
          owners,
        },
      );
      if (!isInvalid(group)) base.set(id, group);
    }),
  );

  const names = new Map([...base.values()].map((g) => [g.id, g.displayName ?? g.name]));
  const scope = await resolveScope(cfg, name, client, membership, names);
  const toFetch = new Set<string>();
  for (const [id, change] of users) if (change !== "removed") toFetch.add(id);
  for (const id of scope.users ?? []) if (!stored.persons.has(id)) toFetch.add(id);
  const fresh = new Map<string, Json | undefined>();
  await Promise.all(
    [...toFetch].map(async (id) => {
      fresh.set(
        id,
        await client.get(`users/${id}?$select=${userSelect(cfg)}`, { allow404: true, batch: true }),
      );
    }),
  );

  const groupsOf = membership.directGroupsByUser();
  const persons = new Set<string>();
  const events: SourceEvent[] = [];
  const consider = (id: string, raw: Json | undefined, before: Person | undefined) => {
    const subject = raw ?? (before ? { id, userPrincipalName: before.login } : undefined);
    if (!subject || !userInScope(scope, subject)) {
      if (before) events.push({ type: "remove", kind: "person", id });
      return;
    }
    const direct = (groupsOf.get(id) ?? []).filter((g) => groupInScope(scope, g)).sort();
    const person = raw ? toPerson(name, raw, direct, cfg) : { ...(before as Person), groups: direct };
    if (!isInvalid(person)) persons.add(id);
    if (!before || stable(person) !== stable(before)) events.push(eventOf(person, "person"));
  };
  for (const [id, before] of stored.persons) {
    const gone = users.get(id) === "removed" || (fresh.has(id) && fresh.get(id) === undefined);
    if (gone) events.push({ type: "remove", kind: "person", id });
    else consider(id, fresh.get(id), before);
  }
  for (const [id, raw] of fresh) if (raw && !stored.persons.has(id)) consider(id, raw, undefined);

  for (const event of finalGroups(base, membership, scope, persons)) {
    if (event.type === "group" && stable(event.group) === stable(stored.groups.get(event.group.id))) continue;
    if (event.type === "remove" && !stored.groups.has(event.id)) continue;
    events.push(event);
  }
  for (const id of stored.groups.keys())
    if (!base.has(id)) events.push({ type: "remove", kind: "group", id });
  yield* events;
  p.progress?.(events.length);
  yield {
    type: "checkpoint",
    checkpoint: { ...cp, deltaLinks: { users: usersLink, groups: groupsLink } },
    done: true,
  };
}
