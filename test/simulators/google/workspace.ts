/**
 * The data of one Google Workspace account as the Directory API documents it
 * (developers.google.com/admin-sdk/directory/reference/rest/v1: users, groups, members): the
 * simulator's store, with the changes a mutation mode makes.
 */

export type Json = Record<string, unknown>;

/** A user resource (the fields the simulator keeps; `customSchemas` as `{schema: {field: value}}`). */
export interface WsUser {
  id: string;
  primaryEmail: string;
  name: { givenName?: string; familyName?: string; fullName?: string };
  suspended: boolean;
  archived: boolean;
  orgUnitPath: string;
  isAdmin: boolean;
  aliases?: string[];
  externalIds?: { value: string; type: string; customType?: string }[];
  organizations?: Json[];
  customSchemas?: Record<string, Record<string, unknown>>;
  creationTime: string;
}

/** A member resource: `CUSTOMER` stands for every user of the account (its id is the customer id). */
export interface WsMember {
  id?: string;
  email?: string;
  role: "OWNER" | "MANAGER" | "MEMBER";
  type: "USER" | "GROUP" | "CUSTOMER";
  status?: string;
}

/** A group resource and its direct members, keyed by member id (or e-mail when it has none). */
export interface WsGroup {
  id: string;
  email: string;
  name: string;
  description?: string;
  aliases?: string[];
  members: Map<string, WsMember>;
}

/** One change the mutation mode made, for tests that check a pull sees exactly these. */
export type Change =
  | { kind: "user-added" | "user-updated" | "user-deleted"; id: string }
  | { kind: "group-added" | "group-updated" | "group-deleted"; id: string }
  | { kind: "member-added" | "member-removed"; group: string; member: string };

/** An account: its customer id, domains, users and groups, with id-ordered listings. */
export class Workspace {
  readonly users = new Map<string, WsUser>();
  readonly groups = new Map<string, WsGroup>();
  readonly changes: Change[] = [];
  #sorted: { users?: string[]; groups?: string[] } = {};
  #byEmail: Map<string, string> | undefined;

  constructor(
    readonly customerId: string,
    readonly domains: string[],
  ) {}

  /** Ids in listing order (by id), cached until the next change. */
  sortedIds(kind: "users" | "groups"): string[] {
    let ids = this.#sorted[kind];
    if (!ids) {
      ids = [...(kind === "users" ? this.users.keys() : this.groups.keys())].sort();
      this.#sorted[kind] = ids;
    }
    return ids;
  }

  /** A user by id, primary e-mail address or alias (case-insensitive). */
  userByKey(key: string): WsUser | undefined {
    const byId = this.users.get(key);
    if (byId) return byId;
    if (!this.#byEmail) {
      this.#byEmail = new Map();
      for (const u of this.users.values()) {
        for (const e of [u.primaryEmail, ...(u.aliases ?? [])]) this.#byEmail.set(e.toLowerCase(), u.id);
      }
    }
    const id = this.#byEmail.get(key.toLowerCase());
    return id === undefined ? undefined : this.users.get(id);
  }

  /** Adds or replaces a user. */
  putUser(user: WsUser, record = true): void {
    const known = this.users.has(user.id);
    this.users.set(user.id, user);
    this.#byEmail = undefined;
    if (!known) this.#sorted.users = undefined;
    if (record) this.changes.push({ kind: known ? "user-updated" : "user-added", id: user.id });
  }

  /** Changes fields of a user. */
  updateUser(id: string, patch: Partial<WsUser>): void {
    const user = this.users.get(id);
    if (!user) throw new Error(`no user ${id}`);
    this.users.set(id, { ...user, ...patch });
    this.#byEmail = undefined;
    this.changes.push({ kind: "user-updated", id });
  }

  /** Deletes a user: it leaves every group, as in Google. */
  deleteUser(id: string): void {
    if (!this.users.delete(id)) return;
    this.#byEmail = undefined;
    this.#sorted.users = undefined;
    for (const g of this.groups.values()) g.members.delete(id);
    this.changes.push({ kind: "user-deleted", id });
  }

  /** Adds or replaces a group (its members kept when it exists). */
  putGroup(group: Omit<WsGroup, "members"> & { members?: Map<string, WsMember> }, record = true): void {
    const known = this.groups.get(group.id);
    this.groups.set(group.id, { ...group, members: group.members ?? known?.members ?? new Map() });
    if (!known) this.#sorted.groups = undefined;
    if (record) this.changes.push({ kind: known ? "group-updated" : "group-added", id: group.id });
  }

  /** Deletes a group: it leaves the groups it was nested in. */
  deleteGroup(id: string): void {
    if (!this.groups.delete(id)) return;
    this.#sorted.groups = undefined;
    for (const g of this.groups.values()) g.members.delete(id);
    this.changes.push({ kind: "group-deleted", id });
  }

  /** Adds a member to a group; false when the group is unknown or has the member already. */
  addMember(groupId: string, member: WsMember, record = true): boolean {
    const group = this.groups.get(groupId);
    const key = member.id ?? member.email;
    if (!group || !key || group.members.has(key)) return false;
    group.members.set(key, member);
    if (record) this.changes.push({ kind: "member-added", group: groupId, member: key });
    return true;
  }

  /** Removes a member from a group. */
  removeMember(groupId: string, key: string): void {
    if (this.groups.get(groupId)?.members.delete(key)) {
      this.changes.push({ kind: "member-removed", group: groupId, member: key });
    }
  }

  /** True when `domain` belongs to the account. */
  ownsDomain(domain: string): boolean {
    return this.domains.includes(domain.toLowerCase());
  }
}
