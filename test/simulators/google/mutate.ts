import { Random } from "../graph/random.js";
import type { Change, Workspace, WsUser } from "./workspace.js";

/**
 * The mutation mode: `count` random changes of the kinds a school account sees between two
 * pulls (new pupils, renames, suspensions, leavers, class changes, new and removed groups),
 * deterministic for the seed. Returns the changes made.
 * @example const changes = mutate(sim.workspace, 40, 2024);
 */
export function mutate(ws: Workspace, count: number, seed: number): Change[] {
  const rnd = new Random(seed);
  const from = ws.changes.length;
  const users = () => ws.sortedIds("users");
  const groups = () =>
    ws
      .sortedIds("groups")
      .filter((g) => ws.groups.get(g)?.email.startsWith("team-") || ws.groups.get(g)?.description === "klas");
  for (let i = 0; i < count; i++) {
    const op = rnd.int(8);
    const u = rnd.pick(users()) as string;
    const pool = groups();
    const g = pool.length > 0 ? rnd.pick(pool) : undefined;
    const user = ws.users.get(u) as WsUser;
    if (op === 0) {
      const id = `9${String(seed).padStart(6, "0")}${String(i).padStart(14, "0")}`;
      ws.putUser({
        ...user,
        id,
        primaryEmail: `nieuw.${seed}.${i}@leerling.po-voorbeeld.nl`,
        name: { givenName: "Nieuwe", familyName: `Leerling ${i}`, fullName: `Nieuwe Leerling ${i}` },
        aliases: undefined,
      });
      if (g)
        ws.addMember(g, {
          id,
          type: "USER",
          role: "MEMBER",
          status: "ACTIVE",
          email: `nieuw.${seed}.${i}@leerling.po-voorbeeld.nl`,
        });
    } else if (op === 1)
      ws.updateUser(u, {
        name: {
          ...user.name,
          familyName: `van Hernoemd ${i}`,
          fullName: `${user.name.givenName ?? ""} van Hernoemd ${i}`,
        },
      });
    else if (op === 2) ws.updateUser(u, { suspended: !user.suspended });
    else if (op === 3 && user.isAdmin === false) ws.deleteUser(u);
    else if (op === 4 && g)
      ws.addMember(g, { id: u, type: "USER", role: "MEMBER", status: "ACTIVE", email: user.primaryEmail });
    else if (op === 5 && g) {
      const keys = [...(ws.groups.get(g)?.members.keys() ?? [])];
      if (keys.length > 0) ws.removeMember(g, rnd.pick(keys));
    } else if (op === 6 && g) {
      const group = ws.groups.get(g);
      if (group) ws.putGroup({ ...group, name: `${group.name} (hernoemd ${i})` });
    } else if (op === 7 && i % 2 === 0 && g) ws.deleteGroup(g);
  }
  return ws.changes.slice(from);
}
