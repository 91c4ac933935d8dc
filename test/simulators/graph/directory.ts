/**
 * The simulated tenant's directory: users, groups with members and owners, administrative
 * units, School Data Sync data, and a change log that delta queries read. The mutation methods
 * are the test API: every change is logged the way Graph's delta query reports it.
 */

export type Json = Record<string, unknown>;

export interface SimUser extends Json {
  id: string;
  userPrincipalName: string;
  displayName: string;
  accountEnabled: boolean;
}

export interface SimGroup {
  id: string;
  props: Json;
  /** Ids of member users and groups, in insertion order. */
  members: Set<string>;
  owners: Set<string>;
}

export interface SimAdministrativeUnit {
  id: string;
  displayName: string;
  members: Set<string>;
}

export interface SimSchool extends Json {
  id: string;
  displayName: string;
  externalId: string;
}

export interface SimClass {
  id: string;
  props: Json;
  schoolId: string;
  members: Set<string>;
}

export interface SimEducationUser {
  id: string;
  schoolIds: string[];
  props: Json;
}

export type Change =
  | { seq: number; kind: "user"; id: string }
  | { seq: number; kind: "group"; id: string }
  | {
      seq: number;
      kind: "member";
      groupId: string;
      memberId: string;
      memberType: "user" | "group";
      added: boolean;
    };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The in-memory directory of one simulated tenant. */
export class Directory {
  readonly users = new Map<string, SimUser>();
  readonly groups = new Map<string, SimGroup>();
  readonly administrativeUnits = new Map<string, SimAdministrativeUnit>();
  readonly schools = new Map<string, SimSchool>();
  readonly classes = new Map<string, SimClass>();
  readonly educationUsers = new Map<string, SimEducationUser>();
  readonly log: Change[] = [];
  #seq = 0;
  #sorted = new Map<string, string[]>();

  /** The sequence number of the latest change; a delta token remembers it. */
  get seq(): number {
    return this.#seq;
  }

  /** Ids of a collection in a stable order, for paging with a cursor. */
  sortedIds(kind: "users" | "groups"): string[] {
    let ids = this.#sorted.get(kind);
    if (!ids) {
      ids = [...(kind === "users" ? this.users.keys() : this.groups.keys())].sort();
      this.#sorted.set(kind, ids);
    }
    return ids;
  }

  /** Forgets cached orderings after bulk loading straight into the maps (not logged). */
  invalidate(): void {
    this.#sorted.clear();
  }

  /** The kind of a directory object id, or undefined when it does not exist. */
  typeOf(id: string): "user" | "group" | undefined {
    if (this.users.has(id)) return "user";
    if (this.groups.has(id)) return "group";
    return undefined;
  }

  /** Adds or replaces a user (logged for `/users/delta`). */
  putUser(user: SimUser): void {
    if (!this.users.has(user.id)) this.#sorted.delete("users");
    this.users.set(user.id, user);
    this.#record({ kind: "user", id: user.id });
  }

  /** Changes some properties of a user; `undefined` removes a property. */
  updateUser(id: string, patch: Json): void {
    const user = this.users.get(id);
    if (!user) throw new Error(`no user ${id}`);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) delete user[k];
      else user[k] = v;
    }
    this.#record({ kind: "user", id });
  }

  /** Deletes a user, its memberships and ownerships, as Graph does. */
  deleteUser(id: string): void {
    if (!this.users.delete(id)) throw new Error(`no user ${id}`);
    this.#sorted.delete("users");
    for (const g of this.groups.values()) {
      if (g.members.delete(id))
        this.#record({ kind: "member", groupId: g.id, memberId: id, memberType: "user", added: false });
      if (g.owners.delete(id)) this.#record({ kind: "group", id: g.id });
    }
    for (const au of this.administrativeUnits.values()) au.members.delete(id);
    this.#record({ kind: "user", id });
  }

  /** Adds or replaces a group's properties (members and owners kept when it exists). */
  putGroup(id: string, props: Json): SimGroup {
    let group = this.groups.get(id);
    if (group) group.props = { ...props, id };
    else {
      group = { id, props: { ...props, id }, members: new Set(), owners: new Set() };
      this.groups.set(id, group);
      this.#sorted.delete("groups");
    }
    this.#record({ kind: "group", id });
    return group;
  }

  /** Changes some properties of a group. */
  updateGroup(id: string, patch: Json): void {
    const group = this.#group(id);
    Object.assign(group.props, patch);
    this.#record({ kind: "group", id });
  }

  /** Deletes a group; it leaves every group it was a member of. */
  deleteGroup(id: string): void {
    this.#group(id);
    this.groups.delete(id);
    this.#sorted.delete("groups");
    for (const g of this.groups.values()) {
      if (g.members.delete(id)) {
        this.#record({ kind: "member", groupId: g.id, memberId: id, memberType: "group", added: false });
      }
    }
    for (const au of this.administrativeUnits.values()) au.members.delete(id);
    this.#record({ kind: "group", id });
  }

  /** Adds a user or group to a group (no-op when already a member). */
  addMember(groupId: string, memberId: string): void {
    const group = this.#group(groupId);
    const memberType = this.typeOf(memberId);
    if (!memberType) throw new Error(`no directory object ${memberId}`);
    if (group.members.has(memberId)) return;
    group.members.add(memberId);
    this.#record({ kind: "member", groupId, memberId, memberType, added: true });
  }

  /** Removes a member from a group (no-op when not a member). */
  removeMember(groupId: string, memberId: string): void {
    if (this.#group(groupId).members.delete(memberId)) {
      const memberType = this.typeOf(memberId) ?? "user";
      this.#record({ kind: "member", groupId, memberId, memberType, added: false });
    }
  }

  /** Sets a group's owners (not reported by delta queries, as in Graph). */
  setOwners(groupId: string, owners: string[]): void {
    this.#group(groupId).owners = new Set(owners);
  }

  /** Log entries with `from < seq <= to`. */
  changesBetween(from: number, to: number): Change[] {
    let lo = 0;
    let hi = this.log.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.log[mid] as Change).seq <= from) lo = mid + 1;
      else hi = mid;
    }
    const out: Change[] = [];
    for (let i = lo; i < this.log.length; i++) {
      const c = this.log[i] as Change;
      if (c.seq > to) break;
      out.push(c);
    }
    return out;
  }

  #group(id: string): SimGroup {
    const group = this.groups.get(id);
    if (!group) throw new Error(`no group ${id}`);
    return group;
  }

  #record(change: DistributiveOmit<Change, "seq">): void {
    this.#seq++;
    this.log.push({ ...change, seq: this.#seq });
  }
}
