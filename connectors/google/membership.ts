/**
 * Direct group membership as the Directory API lists it (users and nested groups per group),
 * resolved into transitive user members. Cycles are tolerated: a group reached twice is
 * expanded once, and {@link Membership.cyclic} names the groups that reach themselves.
 */
export class Membership {
  readonly users = new Map<string, string[]>();
  readonly groups = new Map<string, string[]>();

  /** Sets a group's direct members. */
  set(groupId: string, users: string[], groups: string[]): void {
    this.users.set(groupId, users);
    this.groups.set(groupId, groups);
  }

  /** `groupId` and every known group nested in it, at any depth. */
  closure(groupId: string): Set<string> {
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

  /** Users that are members of `groupId` directly or through nested groups. */
  transitiveUsers(groupId: string): Set<string> {
    const out = new Set<string>();
    for (const g of this.closure(groupId)) for (const u of this.users.get(g) ?? []) out.add(u);
    return out;
  }

  /** True when `groupId` is nested, at some depth, in itself. */
  cyclic(groupId: string): boolean {
    const seen = new Set<string>();
    const stack = [...(this.groups.get(groupId) ?? [])];
    while (stack.length > 0) {
      const g = stack.pop() as string;
      if (g === groupId) return true;
      if (seen.has(g)) continue;
      seen.add(g);
      stack.push(...(this.groups.get(g) ?? []));
    }
    return false;
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
