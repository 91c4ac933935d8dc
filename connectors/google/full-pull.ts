import type { SourceEvent } from "../../src/model/connector.js";
import { groupChains, memberChain, userChains } from "./chains.js";
import { type Checkpoint, configDigest } from "./checkpoint.js";
import type { Json } from "./client.js";
import { finish } from "./finish.js";
import { type GroupLinks, isInvalid, splitMembers, toGroup, toPerson } from "./map.js";
import { allOf, pagesOf } from "./pages.js";
import {
  eventOf,
  loadState,
  type PullContext,
  type PullState,
  remember,
  resolveScope,
} from "./pull-state.js";

/**
 * A full pull (Google has no delta feed; the snapshot store turns it into changes): groups with
 * their direct members, page by page; then users, per domain and org-unit subtree, page by page
 * (now that each user's groups are known); then the groups again with nesting resolved. A
 * checkpoint follows every page, so `resume` continues an interrupted pull from its last page.
 */
export async function* fullPull(p: PullContext, resume?: Checkpoint): AsyncGenerator<SourceEvent> {
  let cp: Checkpoint;
  let state: PullState;
  if (resume) {
    cp = resume;
    state = await loadState(p, resume.phase !== "groups");
    for (const id of resume.unreadable ?? []) state.unreadable.add(id);
  } else {
    yield { type: "reset" };
    cp = { v: 1, config: configDigest(p.cfg), phase: "groups", unit: 0 };
    state = await loadState({ ...p, previous: undefined }, false);
    yield { type: "checkpoint", checkpoint: cp };
  }
  const counter = { done: 0 };
  if (cp.phase === "groups") cp = yield* groupsPhase(p, state, cp, counter);
  if (cp.phase === "users") yield* usersPhase(p, state, cp, counter);
  yield* finish(p, state);
  yield { type: "checkpoint", checkpoint: { v: 1, config: cp.config, phase: "done", unit: 0 }, done: true };
}

/** The checkpoint after a page of chain `unit` whose next token is `next`. */
function after(
  cp: Checkpoint,
  phase: "groups" | "users",
  unit: number,
  next: string | undefined,
  units: number,
): Checkpoint {
  const { pageToken: _, ...base } = cp;
  if (next !== undefined) return { ...base, phase, unit, pageToken: next };
  if (unit + 1 < units) return { ...base, phase, unit: unit + 1 };
  return { ...base, phase: phase === "groups" ? "users" : "finish", unit: 0 };
}

/** A group's direct members, every page of them. */
async function linksOf(p: PullContext, groupId: string): Promise<GroupLinks> {
  const links: GroupLinks = { users: [], groups: [], customer: false, external: 0 };
  splitMembers(await allOf(p.client, memberChain(p.cfg, groupId), p.cfg.restarts), links);
  return links;
}

async function* groupsPhase(
  p: PullContext,
  state: PullState,
  start: Checkpoint,
  counter: { done: number },
): AsyncGenerator<SourceEvent, Checkpoint> {
  const chains = groupChains(p.cfg);
  let cp = start;
  for (let unit = start.unit; unit < chains.length; unit++) {
    const token = unit === start.unit ? start.pageToken : undefined;
    for await (const page of pagesOf(
      p.client,
      chains[unit] as (typeof chains)[number],
      token,
      p.cfg.restarts,
    )) {
      const linked = await Promise.all(
        page.items.map(async (raw: Json) => ({
          raw,
          links: typeof raw.id === "string" ? await linksOf(p, raw.id) : undefined,
        })),
      );
      for (const { raw, links } of linked) {
        const group = toGroup(p.name, raw, links ?? { users: [], groups: [], customer: false, external: 0 });
        if (!isInvalid(group)) remember(state, group);
        yield eventOf(group, "group");
      }
      counter.done += page.items.length;
      p.progress?.(counter.done);
      cp = after(cp, "groups", unit, page.next, chains.length);
      yield { type: "checkpoint", checkpoint: cp };
    }
  }
  return cp;
}

async function* usersPhase(
  p: PullContext,
  state: PullState,
  start: Checkpoint,
  counter: { done: number },
): AsyncGenerator<SourceEvent> {
  const chains = userChains(p.cfg);
  const scope = resolveScope(p, state);
  const groupsOf = state.membership.directGroupsByUser();
  const everyoneIn = [...state.groups.keys()].filter(
    (g) => state.groups.get(g)?.ext.customerMember && p.cfg.customerMembers === "expand",
  );
  const inScope = (g: string) => !scope.groups || scope.groups.has(g);
  let cp = start;
  for (let unit = start.unit; unit < chains.length; unit++) {
    const token = unit === start.unit ? start.pageToken : undefined;
    for await (const page of pagesOf(
      p.client,
      chains[unit] as (typeof chains)[number],
      token,
      p.cfg.restarts,
    )) {
      for (const raw of page.items) {
        const id = typeof raw.id === "string" ? raw.id : undefined;
        if (id !== undefined && state.persons.has(id)) continue;
        if (id !== undefined && scope.users && !scope.everyone && !scope.users.has(id)) continue;
        const groups = [...(groupsOf.get(id ?? "") ?? []), ...everyoneIn].filter(inScope);
        const person = toPerson(p.name, raw, [...new Set(groups)], p.cfg);
        if (!isInvalid(person)) state.persons.add(person.id);
        else if (person.id) state.unreadable.add(person.id);
        yield eventOf(person, "person");
      }
      counter.done += page.items.length;
      p.progress?.(counter.done);
      cp = after(cp, "users", unit, page.next, chains.length);
      if (state.unreadable.size > 0) cp = { ...cp, unreadable: [...state.unreadable] };
      yield { type: "checkpoint", checkpoint: cp };
    }
  }
}
