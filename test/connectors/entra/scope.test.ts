import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openMemoryStore } from "../../../src/state/memory.js";
import { type GraphSimulator, startGraphSimulator, TENANT_DOMAINS } from "../../simulators/graph/index.js";
import { simSource } from "./harness.js";
import { pullInto, snapshotOf } from "./support.js";

let sim: GraphSimulator;

beforeAll(async () => {
  sim = await startGraphSimulator({
    tenant: { seed: 21, users: 400, groups: 16, bigGroup: 100, schools: 3 },
  });
});

afterAll(async () => {
  await sim?.close();
});

async function pull(overrides: Record<string, unknown>) {
  const store = openMemoryStore();
  await pullInto(await simSource(sim, store, overrides), store);
  return store;
}

describe("Entra source: scope and School Data Sync", () => {
  it("keeps only users of the listed UPN domains, and groups reference only them", async () => {
    const { persons, groups } = await snapshotOf(await pull({ scope: { domains: [TENANT_DOMAINS[1]] } }));
    const expected = [...sim.directory.users.values()].filter((u) =>
      u.userPrincipalName.endsWith(`@${TENANT_DOMAINS[1]}`),
    );
    expect(persons.map((p) => p.id).sort()).toEqual(expected.map((u) => u.id).sort());
    const ids = new Set(persons.map((p) => p.id));
    for (const g of groups) for (const m of g.members) expect(ids.has(m)).toBe(true);
  });

  it("keeps members (at any depth) of a scope group named by display name", async () => {
    const { persons, groups } = await snapshotOf(await pull({ scope: { groups: ["Medewerkers"] } }));
    const top = groups.find((g) => g.name === "Medewerkers");
    expect(top).toBeDefined();
    expect(persons.map((p) => p.id).sort()).toEqual(top?.members);
    expect(groups.length).toBeGreaterThan(1);
    expect(groups.length).toBeLessThan(sim.directory.groups.size);
  });

  it("refuses a scope group that does not exist", async () => {
    await expect(pull({ scope: { groups: ["Bestaat niet"] } })).rejects.toThrow(
      /scope\.groups names "Bestaat niet"/,
    );
  });

  it("adds SDS roles, numbers, BRINs and classes", async () => {
    const { persons, groups } = await snapshotOf(await pull({ educationData: true }));
    const classes = groups.filter((g) => g.kind === "class");
    expect(classes).toHaveLength(sim.directory.classes.size);
    for (const c of classes) {
      const sim_ = sim.directory.classes.get(c.id);
      expect(c.members).toEqual([...(sim_?.members ?? [])].sort());
      const school = sim.directory.schools.get(sim_?.schoolId as string);
      expect(c.brin).toBe(
        /^\d{2}[A-Z]{2}/.test(school?.externalId as string) ? school?.externalId.slice(0, 4) : undefined,
      );
    }
    for (const [id, edu] of sim.directory.educationUsers) {
      const p = persons.find((x) => x.id === id);
      const student = edu.props.student as { studentNumber: string } | null;
      expect(p?.roles).toEqual([edu.props.primaryRole]);
      if (student) expect(p?.number).toBe(student.studentNumber);
    }
    expect(persons.some((p) => p.brin === "12AB")).toBe(true);
    expect(persons.some((p) => p.brin === undefined && sim.directory.educationUsers.has(p.id))).toBe(true);
  });
});
