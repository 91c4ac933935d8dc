import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openMemoryStore } from "../../../src/state/memory.js";
import { type GoogleSimulator, SCHEMA, startGoogleSimulator } from "../../simulators/google/index.js";
import { infoOf, killAfterCheckpoints, pullInto, type Snapshot, snapshotOf } from "../entra/support.js";
import { simSource } from "./harness.js";

let sim: GoogleSimulator;
let clean: Snapshot;
let cleanRequests: number;

beforeAll(async () => {
  sim = await startGoogleSimulator({ tenant: { seed: 11, users: 1400, groups: 90, memberships: 3000 } });
  const before = sim.stats.apiRequests;
  clean = await snapshotOf(await pullInto(await simSource(sim, openMemoryStore())), "google");
  cleanRequests = sim.stats.apiRequests - before;
});

afterAll(async () => {
  await sim?.close();
});

/** The users each group holds at any depth, from the simulator's own data. */
function expectedMembers(groupId: string): string[] {
  const ws = sim.workspace;
  const seen = new Set([groupId]);
  const users = new Set<string>();
  const stack = [groupId];
  while (stack.length > 0) {
    for (const m of ws.groups.get(stack.pop() as string)?.members.values() ?? []) {
      if (m.type === "USER" && m.id && ws.users.has(m.id)) users.add(m.id);
      if (m.type === "GROUP" && m.id && !seen.has(m.id)) {
        seen.add(m.id);
        stack.push(m.id);
      }
    }
  }
  return [...users].filter((u) => clean.persons.some((p) => p.id === u)).sort();
}

describe("Google source: full pull", () => {
  it("maps the account's users, leaving out the invalid ones by field", async () => {
    const ws = sim.workspace;
    const store = await pullInto(await simSource(sim, openMemoryStore()));
    const invalid = [];
    for await (const r of store.invalidRecords()) invalid.push(r);
    expect(invalid.map((r) => r.field).sort()).toEqual([
      `customSchemas.${SCHEMA}.BRIN`,
      `customSchemas.${SCHEMA}.Leerlingnummer`,
    ]);
    for (const r of invalid) expect(r.reason).not.toMatch(/11zz|4711/);
    expect(clean.persons).toHaveLength(ws.users.size - 2);
    for (const p of clean.persons) {
      const raw = ws.users.get(p.id);
      expect(p.login).toBe(raw?.primaryEmail);
      expect(p.enabled).toBe(!raw?.suspended && !raw?.archived);
      expect(p.givenName).toBe(raw?.name.givenName);
      expect(p.surname).toBe(raw?.name.familyName);
      expect(p.roles).toEqual([raw?.customSchemas?.[SCHEMA]?.Rol]);
    }
    expect(clean.persons.some((p) => p.surname === undefined)).toBe(true);
    expect(clean.persons.some((p) => p.givenName?.startsWith(" "))).toBe(true);
    expect(clean.persons.some((p) => p.ext.archived === "true" && !p.enabled)).toBe(true);
    expect(clean.persons.some((p) => p.surname === "van den Berg")).toBe(true);
    expect(clean.persons.some((p) => Array.isArray(p.ext.aliases))).toBe(true);
  });

  it("resolves nested groups, a cycle and the big group into person members", () => {
    const ws = sim.workspace;
    expect(clean.groups).toHaveLength(ws.groups.size);
    for (const g of clean.groups) expect(g.members, g.name).toEqual(expectedMembers(g.id));
    const big = clean.groups.find((g) => g.name === "Nieuwsbrief");
    expect(big?.members.length).toBeGreaterThanOrEqual(1190);
    const a = clean.groups.find((g) => g.name === "Werkgroep A");
    const b = clean.groups.find((g) => g.name === "Werkgroep B");
    expect(a?.members).toEqual(b?.members);
    expect(a?.members.length).toBe(5);
    expect(clean.groups.find((g) => g.name.startsWith("<b>Ouders"))?.name).toContain("<script>");
    const school = clean.groups.find((g) => g.name.startsWith("Leerlingen "));
    expect(((school?.ext.memberGroups ?? []) as string[]).length).toBeGreaterThan(0);
    expect(school?.members.length).toBeGreaterThan(100);
  });

  it("reports CUSTOMER and external members without creating them, and expands CUSTOMER when asked", async () => {
    const everyone = clean.groups.find((g) => g.name === "Iedereen");
    expect(everyone?.members).toEqual([]);
    expect(everyone?.ext.customerMember).toBe("true");
    const outside = clean.groups.find((g) => g.name === "MR en ouders");
    expect(outside?.ext.externalMembers).toBe("2");
    expect(outside?.members).toHaveLength(1);
    const store = openMemoryStore();
    const source = await simSource(sim, store, { customerMembers: "expand" });
    await pullInto(source, store);
    const expanded = await snapshotOf(store, "google");
    const all = expanded.groups.find((g) => g.name === "Iedereen");
    expect(all?.members).toEqual(expanded.persons.map((p) => p.id).sort());
    expect(expanded.persons.every((p) => p.groups.includes(all?.id as string))).toBe(true);
    expect(source.warnings.some((w) => w.includes("nested in itself"))).toBe(true);
    expect(source.warnings.some((w) => w.includes("not users of the account"))).toBe(true);
    expect(source.warnings.join("\n")).not.toMatch(/@/);
  });

  it("yields exactly the clean snapshot under 20 percent injected faults", async () => {
    sim.setFaults({ rate: 0.2, seed: 5, hangMs: 1200 });
    try {
      const store = openMemoryStore();
      const source = await simSource(sim, store, { timeoutMs: 600, retries: 12 });
      const faultsBefore = sim.stats.faults;
      await pullInto(source, store);
      expect(sim.stats.faults - faultsBefore).toBeGreaterThan(cleanRequests * 0.1);
      expect(await snapshotOf(store, "google")).toEqual(clean);
    } finally {
      sim.setFaults(undefined);
    }
  });

  it("keeps to the quota: a smaller quota at Google is retried after 403 userRateLimitExceeded", async () => {
    const small = await startGoogleSimulator({
      tenant: { seed: 11, users: 300 },
      quota: { queries: 10, windowMs: 1000 },
    });
    try {
      const store = openMemoryStore();
      const source = await simSource(small, store, { quota: { queries: 40, windowSeconds: 1 } });
      await pullInto(source, store);
      expect(small.quota.throttled).toBeGreaterThan(0);
      expect((await infoOf(store, "google")).complete).toBe(true);
      expect(source.client?.retried).toBeGreaterThan(0);
    } finally {
      await small.close();
    }
  });

  it.each([
    ["in the groups phase", 2],
    ["in the users phase", 12],
  ])("resumes a pull killed %s from its checkpoint", async (_when, kills) => {
    const store = openMemoryStore();
    const source = await simSource(sim, store);
    await expect(store.ingest("google", killAfterCheckpoints(source.read({}), kills))).rejects.toThrow(
      "killed",
    );
    expect((await infoOf(store, "google")).complete).toBe(false);
    const before = sim.stats.apiRequests;
    await pullInto(source, store, { checkpoint: (await infoOf(store, "google")).checkpoint });
    expect(sim.stats.apiRequests - before).toBeLessThan(cleanRequests);
    expect((await infoOf(store, "google")).complete).toBe(true);
    expect(await snapshotOf(store, "google")).toEqual(clean);
  });

  it("restarts only the chain whose page token died", async () => {
    const store = openMemoryStore();
    const source = await simSource(sim, store, {
      retries: 1,
      orgUnits: [
        "/Scholen/De Regenboog",
        "/Scholen/Het Kompas",
        "/Scholen/De Vlinderboom",
        "/Scholen/Het Palet",
      ],
    });
    const full = await snapshotOf(
      await pullInto(await simSource(sim, openMemoryStore(), { orgUnits: ["/Scholen"] })),
      "google",
    );
    await expect(store.ingest("google", killAfterCheckpoints(source.read({}), 12))).rejects.toThrow("killed");
    const cp = (await infoOf(store, "google")).checkpoint as {
      phase: string;
      unit: number;
      pageToken?: string;
    };
    expect(cp.phase).toBe("users");
    expect(cp.pageToken).toBeDefined();
    sim.pageTokens.ttlMs = 1500;
    try {
      await new Promise((r) => setTimeout(r, 1600));
      const before = sim.stats.apiRequests;
      await pullInto(source, store, { checkpoint: cp });
      const resumed = sim.stats.apiRequests - before;
      expect(resumed).toBeLessThan(cleanRequests / 2);
      expect(sim.pageTokens.expired).toBeGreaterThan(0);
    } finally {
      sim.pageTokens.ttlMs = 3_600_000;
    }
    const got = await snapshotOf(store, "google");
    expect(got.persons).toEqual(full.persons);
  });

  it("refreshes the access token when Google rejects it mid-pull", async () => {
    const issued = sim.tokens.tokensIssued;
    const store = openMemoryStore();
    const source = await simSource(sim, store);
    let revoked = false;
    await store.ingest(
      "google",
      source.read({
        progress: () => {
          if (!revoked) sim.tokens.revokeAll();
          revoked = true;
        },
      }),
    );
    expect(revoked).toBe(true);
    expect(sim.tokens.tokensIssued - issued).toBeGreaterThanOrEqual(2);
    expect(await snapshotOf(store, "google")).toEqual(clean);
  });
});
