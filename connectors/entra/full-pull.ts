import type { SourceEvent } from "../../src/model/connector.js";
import type { Group } from "../../src/model/group.js";
import type { Person } from "../../src/model/person.js";
import { configDigest, type FullCheckpoint } from "./checkpoint.js";
import { type Education, loadEducation } from "./education.js";
import type { GraphPage, Json } from "./http.js";
import { type Invalid, isInvalid, toGroup, toPerson, userSelect } from "./map.js";
import { Membership } from "./membership.js";
import { PageChain } from "./page-chain.js";
import {
  directGroup,
  eventOf,
  finalGroups,
  groupSelect,
  latestDeltaLinks,
  loadStored,
  type PullContext,
  readGroupLinks,
} from "./pull-context.js";
import { groupInScope, resolveScope, type Scope, userInScope } from "./scope.js";

/**
 * A full pull in three phases, each page followed by a checkpoint: groups with their direct
 * members and owners; users (now that each user's groups are known); then the groups again
 * with nesting resolved. `resume` continues an interrupted full pull from its last page.
 */
export async function* fullPull(p: PullContext, resume?: FullCheckpoint): AsyncGenerator<SourceEvent> {
  const { cfg, client, name } = p;
  const membership = new Membership();
  let base = new Map<string, Group>();
  const persons = new Set<string>();
  let cp: FullCheckpoint;
  if (resume) {
    cp = resume;
    const stored = await loadStored(p, membership, cp.phase !== "groups");
    base = stored.groups;
    for (const id of stored.persons.keys()) persons.add(id);
  } else {
    yield { type: "reset" };
    cp = {
      v: 1,
      mode: "full",
      config: configDigest(cfg),
      phase: "groups",
      deltaLinks: await latestDeltaLinks(p),
    };
    yield { type: "checkpoint", checkpoint: cp };
  }
  let done = 0;
  const usersFirst = `users?$select=${userSelect(cfg)}&$top=${cfg.pageSize}`;
  // Without SDS data a user maps the same whatever its groups, so the users are mapped as their
  // pages arrive, while the groups phase waits for the budget; their groups are added later.
  const premap = (page: GraphPage) =>
    cfg.educationData ? undefined : page.value.map((raw) => toPerson(name, raw, [], cfg));
  const linksOf = (page: GraphPage) => {
    const linked = Promise.all(
      page.value.map(async (raw) => ({ raw, links: await readGroupLinks(p, String(raw.id)) })),
    );
    linked.catch(() => undefined);
    return linked;
  };
  // The first groups page is asked for first: the members and owners of its groups wait for it.
  const groupPages =
    cp.phase === "groups"
      ? new PageChain(
          client,
          cp.next ?? `groups?$select=${groupSelect}&$top=${cfg.pageSize}`,
          { priority: true },
          linksOf,
        )
      : undefined;
  const users =
    cp.phase === "finish"
      ? undefined
      : new PageChain(
          client,
          cp.phase === "users" ? (cp.next ?? usersFirst) : usersFirst,
          { priority: true },
          premap,
        );
  // For every user, the groups it is a direct member of: kept up to date as the groups come
  // (while the budget is what the pull waits for), worked out again only if a group came twice.
  let groupsOf = membership.directGroupsByUser();
  let groupTwice = false;
  try {
    for (let chained = await groupPages?.next(); chained; chained = await groupPages?.next()) {
      for (const { raw, links } of await chained.started) {
        const group = directGroup(name, raw, links);
        if (!isInvalid(group)) {
          groupTwice ||= membership.users.has(group.id);
          base.set(group.id, group);
          membership.set(group.id, links.users, links.groups);
          addGroupOf(groupsOf, group.id, membership.users.get(group.id) as Set<string>);
        }
        yield eventOf(group, "group");
      }
      done += chained.page.value.length;
      p.progress?.(done);
      cp = chained.page.nextLink
        ? { ...cp, next: chained.page.nextLink }
        : { ...cp, phase: "users", next: undefined };
      yield { type: "checkpoint", checkpoint: cp };
    }

    const edu: Education | undefined = cfg.educationData ? await loadEducation(cfg, client) : undefined;
    const names = new Map([...base.values()].map((g) => [g.id, g.displayName ?? g.name]));
    const scope = await resolveScope(cfg, name, client, membership, names);
    if (groupTwice) groupsOf = membership.directGroupsByUser();

    for (let chained = await users?.next(); chained; chained = await users?.next()) {
      const { page, started: mapped } = chained;
      for (let i = 0; i < page.value.length; i++) {
        const raw = page.value[i] as Json;
        if (!userInScope(scope, raw)) continue;
        const id = String(raw.id);
        const direct = groupsOf.get(id) ?? [];
        const groups = scope.groups ? direct.filter((g) => groupInScope(scope, g)) : direct.slice();
        const person = mapped
          ? withGroups(mapped[i] as Person | Invalid, groups)
          : toPerson(name, raw, groups, cfg, edu?.facts.get(id));
        if (!isInvalid(person)) persons.add(person.id);
        yield eventOf(person, "person");
      }
      done += chained.page.value.length;
      p.progress?.(done);
      cp = chained.page.nextLink
        ? { ...cp, phase: "users", next: chained.page.nextLink }
        : { ...cp, phase: "finish", next: undefined };
      yield { type: "checkpoint", checkpoint: cp };
    }
    yield* finish(p, edu, base, membership, scope, persons);
  } finally {
    groupPages?.stop();
    users?.stop();
  }
  yield {
    type: "checkpoint",
    checkpoint: { v: 1, mode: "delta", config: cp.config, deltaLinks: cp.deltaLinks },
    done: true,
  };
}

/** Notes `groupId` among the direct groups of each of its users. */
function addGroupOf(groupsOf: Map<string, string[]>, groupId: string, users: Iterable<string>): void {
  for (const u of users) {
    const list = groupsOf.get(u);
    if (list) list.push(groupId);
    else groupsOf.set(u, [groupId]);
  }
}

/** A person mapped without groups, with its direct groups (sorted, as {@link toPerson} gives them). */
function withGroups(person: Person | Invalid, groups: string[]): Person | Invalid {
  if (!isInvalid(person)) person.groups = groups.sort();
  return person;
}

/** SDS classes (when read) and the groups with nesting resolved. */
function* finish(
  p: PullContext,
  edu: Education | undefined,
  base: Map<string, Group>,
  membership: Membership,
  scope: Scope,
  persons: Set<string>,
): Generator<SourceEvent> {
  const { name } = p;
  if (edu) {
    for (const [id, c] of edu.classes) {
      const group = base.get(id);
      if (group) base.set(id, { ...group, kind: "class", ...(c.brin ? { brin: c.brin } : {}) });
      else {
        const members = c.members.filter((m) => persons.has(m));
        const extra: Record<string, string> = {};
        if (typeof c.raw.classCode === "string") extra.classCode = c.raw.classCode;
        yield eventOf(
          toGroup(name, c.raw, {
            members,
            owners: [],
            kind: "class",
            extra,
            ...(c.brin ? { brin: c.brin } : {}),
          }),
          "group",
        );
      }
    }
  }
  yield* finalGroups(base, membership, scope, persons);
}
