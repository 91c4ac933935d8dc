import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { IdentifierRegistry, type RegistryStore } from "../../src/mapping/identifiers.js";
import { openSqliteStore } from "../../src/state/sqlite.js";
import type { StateStore } from "../../src/state/store.js";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A SQLite store that counts how the registry reads it. */
function countingStore(): { store: StateStore; reads: { lookups: number; scans: number } } {
  dir = mkdtempSync(path.join(tmpdir(), "overstap-ids-"));
  const store = openSqliteStore(path.join(dir, "state.db"));
  const reads = { lookups: 0, scans: 0 };
  const getValues = store.getValues.bind(store);
  const allValues = store.allValues.bind(store);
  store.getValues = (ns, keys) => {
    reads.lookups++;
    return getValues(ns, keys);
  };
  store.allValues = (ns) => {
    reads.scans++;
    return allValues(ns);
  };
  return { store, reads };
}

const requests = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => ({ ref: `las:${from + i}`, candidate: `p.puk@school.nl` }));

async function issue(store: RegistryStore, from: number, to: number): Promise<Map<string, string>> {
  const registry = new IdentifierRegistry(store, { namespace: "uid" });
  const asked = requests(from, to);
  const assignment = await registry.assign(asked);
  await registry.commit(assignment);
  return new Map(asked.map((r, i) => [r.ref, assignment.values[i] as string]));
}

describe("IdentifierRegistry on the SQLite store", () => {
  it("reads nothing from an empty namespace, scans when asked for most of it, looks up a few keys", async () => {
    const { store, reads } = countingStore();
    const first = await issue(store, 0, 50);
    expect(reads).toEqual({ lookups: 0, scans: 0 });
    expect(new Set(first.values()).size).toBe(50);
    expect(first.get("las:0")).toBe("p.puk@school.nl");
    expect(first.get("las:1")).toBe("p.puk2@school.nl");

    const again = await issue(store, 0, 50);
    expect(reads.scans).toBeGreaterThan(0);
    expect(reads.lookups).toBe(0);
    expect(again).toEqual(first);

    reads.scans = 0;
    const few = await issue(store, 10, 13);
    expect(reads.lookups).toBeGreaterThan(0);
    expect(reads.scans).toBe(0);
    expect([...few]).toEqual([...first].filter(([ref]) => ["las:10", "las:11", "las:12"].includes(ref)));
    await store.close();
  });

  it("keeps numbering after what an earlier run issued, whichever way it reads", async () => {
    const { store } = countingStore();
    await issue(store, 0, 5);
    const more = await issue(store, 5, 20);
    const values = [...more.values()];
    expect(new Set(values).size).toBe(15);
    expect(values).not.toContain("p.puk@school.nl");
    expect(values).not.toContain("p.puk5@school.nl");
    await store.close();
  });
});
