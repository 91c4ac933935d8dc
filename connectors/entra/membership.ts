/**
 * Direct group membership as Graph reports it (users and nested groups per group), with
 * nesting resolved into transitive user members. Cycles are tolerated: a group reached twice
 * is expanded once.
 */
export class Membership {
  readonly users = new Map<string, Set<string>>();
  readonly groups = new Map<string, Set<string>>();

  /** Sets a group's direct members. */
  set(groupId: string, users: Iterable<string>, groups: Iterable<string>): void {
    this.users.set(groupId, new Set(users));
    this.groups.set(groupId, new Set(groups));
  }

  /** Adds or removes one direct member (a `members@delta` entry). */
  apply(groupId: string, memberId: string, type: "user" | "group", removed: boolean): void {
    this.ensure(groupId);
    const set = (type === "user" ? this.users : this.groups).get(groupId) as Set<string>;
    if (removed) set.delete(memberId);
    else set.add(memberId);
  }

  /** Makes sure a group is known, with no members yet. */
  ensure(groupId: string): void {
    if (!this.users.has(groupId)) this.users.set(groupId, new Set());
    if (!this.groups.has(groupId)) this.groups.set(groupId, new Set());
  }

  /** Forgets a deleted group, also as a member of other groups. */
  deleteGroup(groupId: string): void {
    this.users.delete(groupId);
    this.groups.delete(groupId);
    for (const set of this.groups.values()) set.delete(groupId);
  }

  /** Forgets a deleted user in every group. */
  deleteUser(userId: string): void {
    for (const set of this.users.values()) set.delete(userId);
  }

  /** The ids of all groups known. */
  groupIds(): string[] {
    return [...this.users.keys()];
  }

  /** Users that are members of `groupId` directly or through nested groups. */
  transitiveUsers(groupId: string): Set<string> {
    const out = new Set<string>();
    for (const g of this.transitiveGroups(groupId)) for (const u of this.users.get(g) ?? []) out.add(u);
    return out;
  }

  /** `groupId` and every group nested in it, at any depth. */
  transitiveGroups(groupId: string): Set<string> {
    const seen = new Set<string>([groupId]);
    const stack = [groupId];
    while (stack.length > 0) {
      for (const child of this.groups.get(stack.pop() as string) ?? []) {
        if (!seen.has(child) && this.users.has(child)) {
          seen.add(child);
          stack.push(child);
        }
      }
    }
    return seen;
  }

  /** For every user, the groups it is a direct member of. */
  directGroupsByUser(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [g, users] of this.users) {
      for (const u of users) {
        const list = out.get(u);
        if (list) list.push(g);
        else out.set(u, [g]);
      }
    }
    return out;
  }
}
