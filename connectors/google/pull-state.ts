import { OverstapError } from "../../src/errors.js";
import type { ProgressFn, SourceEvent } from "../../src/model/connector.js";
import type { Group } from "../../src/model/group.js";
import type { Person } from "../../src/model/person.js";
import type { PreviousSnapshot } from "../../src/state/previous.js";
import type { DirectoryClient } from "./client.js";
import type { GoogleConfig } from "./config.js";
import { type Invalid, isInvalid } from "./map.js";
import { Membership } from "./membership.js";

/** What a pull works with. */
export interface PullContext {
  name: string;
  cfg: GoogleConfig;
  client: DirectoryClient;
  previous?: PreviousSnapshot;
  progress?: ProgressFn;
  /** Where the pull notes what it tolerated (cycles, CUSTOMER and external members); no personal data. */
  warn(message: string): void;
}

/** What the pull knows so far: the groups as read (direct members), their nesting, the persons delivered. */
export interface PullState {
  groups: Map<string, Group>;
  membership: Membership;
  persons: Set<string>;
  /** Users read but not delivered (invalid records): still users of the account. */
  unreadable: Set<string>;
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v : typeof v === "string" ? [v] : []);

/** Takes a group as read into the state. */
export function remember(state: PullState, group: Group): void {
  state.groups.set(group.id, group);
  state.membership.set(group.id, list(group.ext.memberUsers), list(group.ext.memberGroups));
}

/** The state an interrupted pull left in the store: its groups and, if asked, its persons' ids. */
export async function loadState(p: PullContext, withPersons: boolean): Promise<PullState> {
  const state: PullState = {
    groups: new Map(),
    membership: new Membership(),
    persons: new Set(),
    unreadable: new Set(),
  };
  if (!p.previous) return state;
  for await (const g of p.previous.groups()) if (g.ext.memberUsers !== undefined) remember(state, g);
  if (withPersons) for await (const person of p.previous.persons()) state.persons.add(person.id);
  return state;
}

/** Which users and groups the pull keeps (undefined: all). */
export interface Scope {
  groups?: Set<string>;
  users?: Set<string>;
  /** A kept group expands the CUSTOMER member: every user is in scope. */
  everyone: boolean;
}

/** True when some group in the closure of `groupId` has the CUSTOMER member and it is expanded. */
export function expandsCustomer(cfg: GoogleConfig, state: PullState, groupId: string): boolean {
  if (cfg.customerMembers !== "expand") return false;
  for (const g of state.membership.closure(groupId)) if (state.groups.get(g)?.ext.customerMember) return true;
  return false;
}

/** Works out the `groups` scope: the named groups (e-mail, alias or id) with everything nested in them. */
export function resolveScope(p: PullContext, state: PullState): Scope {
  const wanted = p.cfg.groups;
  if (!wanted) return { everyone: false };
  const byKey = new Map<string, string>();
  for (const g of state.groups.values()) {
    byKey.set(g.id.toLowerCase(), g.id);
    for (const k of [g.ext.email, ...list(g.ext.aliases)])
      if (typeof k === "string") byKey.set(k.toLowerCase(), g.id);
  }
  const scope: Scope = { groups: new Set(), users: new Set(), everyone: false };
  for (const w of wanted) {
    const id = byKey.get(w.toLowerCase());
    if (!id) {
      throw new OverstapError(
        "CONFIG_INVALID",
        `${p.name}: groups names "${w}", which is not a group of the account`,
        {
          hint: "Use the e-mail address, an alias or the id of an existing group.",
        },
      );
    }
    for (const g of state.membership.closure(id)) scope.groups?.add(g);
    for (const u of state.membership.transitiveUsers(id)) scope.users?.add(u);
    if (expandsCustomer(p.cfg, state, id)) scope.everyone = true;
  }
  return scope;
}

/** Turns a mapping result into its event. */
export function eventOf(v: Person | Group | Invalid, kind: "person" | "group"): SourceEvent {
  if (isInvalid(v)) {
    return {
      type: "invalid",
      record: v.record,
      ...(v.id ? { id: v.id } : {}),
      field: v.field,
      reason: v.reason,
    };
  }
  return kind === "person" ? { type: "person", person: v as Person } : { type: "group", group: v as Group };
}
