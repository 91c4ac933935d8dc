import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SourceEvent } from "../../../src/model/connector.js";
import { openMemoryStore } from "../../../src/state/memory.js";
import { type GraphSimulator, startGraphSimulator } from "../../simulators/graph/index.js";
import { Random } from "../../simulators/graph/random.js";
import { ECK_ATTR, simSource } from "./harness.js";
import { infoOf, killAfterCheckpoints, pullInto, type Snapshot, snapshotOf } from "./support.js";

let sim: GraphSimulator;
let clean: Snapshot;
let cleanRequests: number;

beforeAll(async () => {
  sim = await startGraphSimulator({
    tenant: { seed: 11, users: 900, groups: 60, bigGroup: 700, heavyUserGroups: 60, memberships: 2500 },
  });
  const before = sim.stats.graphRequests;
  clean = await snapshotOf(await pullInto(await simSource(sim, openMemoryStore())));
  cleanRequests = sim.stats.graphRequests - before;
});

afterAll(async () => {
  await sim?.close();
});

async function freshFull(): Promise<Snapshot> {
  const store = openMemoryStore();
  return await snapshotOf(await pullInto(await simSource(sim, store), store));
}

describe("Entra source: full pull", () => {
  it("maps the tenant's shapes onto persons and groups", () => {
    const dir = sim.directory;
    expect(clean.persons).toHaveLength(dir.users.size);
    expect(clean.groups).toHaveLength(dir.groups.size);
    const guest = clean.persons.find((p) => p.login?.includes("#EXT#"));
    expect(guest?.ext.userType).toBe("Guest");
    expect(clean.persons.some((p) => !p.enabled)).toBe(true);
    const heavy = clean.persons.find((p) => p.groups.length === 60);
    expect(heavy).toBeDefined();
    expect(clean.persons.some((p) => p.groups.length === 0)).toBe(true);
    const student = clean.persons.find((p) => p.roles[0] === "student" && p.ext.userType === "Member");
    expect(student?.ext.eckId).toMatch(/^https:\/\/ketenid\.nl\//);
    expect(student?.number).toMatch(/^1\d{5}$/);
    for (const p of clean.persons) {
      const raw = dir.users.get(p.id);
      expect(p.login).toBe(raw?.userPrincipalName);
      expect(p.enabled).toBe(raw?.accountEnabled);
      expect(p.displayName).toBe(raw?.displayName);
      expect(raw?.[ECK_ATTR] ?? undefined).toBe(p.ext.eckId);
    }
  });

  it("resolves nested and circular groups into person members", () => {
    const dir = sim.directory;
    const ids = [...dir.groups.keys()];
    const byId = new Map(clean.groups.map((g) => [g.id, g]));
    const expected = (gid: string) => {
      const seen = new Set([gid]);
      const users = new Set<string>();
      const stack = [gid];
      while (stack.length) {
        for (const m of dir.groups.get(stack.pop() as string)?.members ?? []) {
          if (dir.users.has(m)) users.add(m);
          else if (!seen.has(m)) {
            seen.add(m);
            stack.push(m);
          }
        }
      }
      return [...users].sort();
    };
    for (const gid of ids) expect(byId.get(gid)?.members).toEqual(expected(gid));
    const cyclic = clean.groups.filter((g) =>
      (g.ext.memberGroups as string[]).some((c) =>
        ((byId.get(c)?.ext.memberGroups as string[] | undefined) ?? []).includes(g.id),
      ),
    );
    expect(cyclic.length).toBe(2);
    expect(cyclic[0]?.members).toEqual(cyclic[1]?.members);
  });

  // Concurrency 6 keeps one slot for the chains of pages (users, groups, the big group's
  // members), 16 keeps four, so the chains run at the same time.
  it.each([6, 16])(
    "yields exactly the clean snapshot under 20 percent injected faults (concurrency %i)",
    async (concurrency) => {
      sim.setFaults({ rate: 0.2, seed: 5, retryAfterSec: 1, hangMs: 1500 });
      try {
        const store = openMemoryStore();
        const source = await simSource(sim, store, { timeoutMs: 700, retries: 12, concurrency });
        const faultsBefore = sim.stats.faults;
        await pullInto(source, store);
        expect(sim.stats.faults - faultsBefore).toBeGreaterThan(cleanRequests * 0.1);
        expect(await snapshotOf(store)).toEqual(clean);
      } finally {
        sim.setFaults(undefined);
      }
    },
  );

  it.each([
    ["in the groups phase", 2],
    ["in the users phase", 8],
  ])("resumes a pull killed %s from its checkpoint", async (_when, kills) => {
    const store = openMemoryStore();
    const source = await simSource(sim, store);
    await expect(store.ingest("entra", killAfterCheckpoints(source.read({}), kills))).rejects.toThrow(
      "killed",
    );
    expect((await infoOf(store)).complete).toBe(false);
    expect(((await infoOf(store)).checkpoint as { mode: string }).mode).toBe("full");
    const before = sim.stats.graphRequests;
    await pullInto(source, store, { checkpoint: (await infoOf(store)).checkpoint });
    expect(sim.stats.graphRequests - before).toBeLessThan(cleanRequests);
    expect((await infoOf(store)).complete).toBe(true);
    expect(await snapshotOf(store)).toEqual(clean);
  });
});

describe("Entra source: incremental pull", () => {
  it("after random changes yields the same snapshot as a fresh full pull", async () => {
    const store = openMemoryStore();
    const source = await simSource(sim, store);
    await pullInto(source, store);
    const dir = sim.directory;
    const rnd = new Random(2024);
    const users = () => [...dir.users.keys()];
    const groups = () => [...dir.groups.keys()];
    for (let i = 0; i < 60; i++) {
      const op = rnd.int(8);
      const u = rnd.pick(users());
      const g = rnd.pick(groups());
      if (op === 0) {
        const id = rnd.guid();
        dir.putUser({
          id,
          userPrincipalName: `nieuw${i}@school.example`,
          displayName: `Nieuwe Leerling ${i}`,
          accountEnabled: true,
          employeeType: "student",
        });
        dir.addMember(g, id);
      } else if (op === 1)
        dir.updateUser(u, {
          displayName: `Hernoemd ${i}`,
          department: rnd.pick(["A", "B"]),
          accountEnabled: rnd.chance(0.5),
        });
      else if (op === 2) dir.deleteUser(u);
      else if (op === 3) dir.addMember(g, u);
      else if (op === 4) {
        const members = [...(dir.groups.get(g)?.members ?? [])];
        if (members.length) dir.removeMember(g, rnd.pick(members));
      } else if (op === 5) {
        const other = rnd.pick(groups());
        if (other !== g) dir.addMember(g, other);
      } else if (op === 6 && i % 3 === 0) dir.deleteGroup(g);
      else if (op === 7) dir.updateGroup(g, { displayName: `Groep hernoemd ${i}` });
    }
    const newGroup = rnd.guid();
    dir.putGroup(newGroup, { displayName: "Nieuwe klas", securityEnabled: true, groupTypes: [] });
    dir.addMember(newGroup, rnd.pick(users()));

    const events: SourceEvent["type"][] = [];
    const before = sim.stats.graphRequests;
    await store.ingest(
      "entra",
      (async function* () {
        for await (const e of source.read({ checkpoint: (await infoOf(store)).checkpoint })) {
          events.push(e.type);
          yield e;
        }
      })(),
    );
    const incrementalRequests = sim.stats.graphRequests - before;
    expect(events).not.toContain("reset");
    expect(events).toContain("remove");
    const full = await freshFull();
    expect(await snapshotOf(store)).toEqual(full);
    expect(await snapshotOf(store)).not.toEqual(clean);
    expect(incrementalRequests).toBeLessThan(cleanRequests);
  });

  it("falls back to a full pull (reset) when the delta link has expired", async () => {
    const store = openMemoryStore();
    const source = await simSource(sim, store);
    await pullInto(source, store);
    sim.directory.updateUser([...sim.directory.users.keys()][3] as string, {
      displayName: "Na verlopen link",
    });
    sim.setDeltaMaxAge(0);
    const types: string[] = [];
    try {
      await store.ingest(
        "entra",
        (async function* () {
          for await (const e of source.read({ checkpoint: (await infoOf(store)).checkpoint })) {
            types.push(e.type);
            yield e;
          }
        })(),
      );
    } finally {
      sim.setDeltaMaxAge(7 * 24 * 3600 * 1000);
    }
    expect(types[0]).toBe("reset");
    expect(await snapshotOf(store)).toEqual(await freshFull());
  });

  it("refreshes the access token when Graph rejects it mid-pull", async () => {
    const issued = sim.tokens.tokensIssued;
    const store = openMemoryStore();
    const source = await simSource(sim, store);
    let revoked = false;
    await store.ingest(
      "entra",
      source.read({
        progress: () => {
          if (!revoked) sim.tokens.revokeAll();
          revoked = true;
        },
      }),
    );
    expect(revoked).toBe(true);
    expect(sim.tokens.tokensIssued - issued).toBeGreaterThanOrEqual(2);
    expect(await snapshotOf(store)).toEqual(await freshFull());
  });
});
