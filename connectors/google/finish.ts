import type { SourceEvent } from "../../src/model/connector.js";
import type { Group } from "../../src/model/group.js";
import { expandsCustomer, type PullContext, type PullState, resolveScope } from "./pull-state.js";

/**
 * The groups as they end a pull: nesting resolved into the persons delivered (cycles resolved
 * once and warned), the CUSTOMER member expanded or reported, members that are not users of
 * the account counted and reported, groups outside the `groups` scope removed.
 */
export function* finish(p: PullContext, state: PullState): Generator<SourceEvent> {
  const scope = resolveScope(p, state);
  const whole = p.cfg.orgUnits.every((o) => o === "/") && !p.cfg.domains;
  const everyone = [...state.persons].sort();
  for (const [id, group] of state.groups) {
    if (scope.groups && !scope.groups.has(id)) {
      yield { type: "remove", kind: "group", id };
      continue;
    }
    if (state.membership.cyclic(id)) {
      p.warn(`group ${id} is nested in itself; its members are counted once`);
    }
    const expanded = expandsCustomer(p.cfg, state, id);
    if (group.ext.customerMember && !expanded) {
      p.warn(
        `group ${id} has the CUSTOMER member (everyone in the account); customerMembers: report leaves it out`,
      );
    }
    yield { type: "group", group: resolved(p, state, group, expanded ? everyone : undefined, whole) };
  }
}

/** One group with its resolved members and the count of members that are not users of the account. */
function resolved(
  p: PullContext,
  state: PullState,
  group: Group,
  everyone: string[] | undefined,
  whole: boolean,
): Group {
  const ext = { ...group.ext };
  let external = Number(group.ext.externalMembers ?? 0);
  if (whole) {
    for (const u of state.membership.users.get(group.id) ?? [])
      if (!state.persons.has(u) && !state.unreadable.has(u)) external++;
  }
  if (external > 0) {
    ext.externalMembers = String(external);
    p.warn(
      `group ${group.id} has ${external} members that are not users of the account; they are reported, not created`,
    );
  } else delete ext.externalMembers;
  const members =
    everyone ?? [...state.membership.transitiveUsers(group.id)].filter((u) => state.persons.has(u)).sort();
  return { ...group, members, ext };
}
