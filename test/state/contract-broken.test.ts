import { describe, expect, it } from "vitest";
import type { JournalRecord } from "../../src/model/journal.js";
import { openMemoryStore } from "../../src/state/memory.js";
import type { StateStore } from "../../src/state/store.js";
import { storeChecks } from "./contract.js";

/** The memory store with some of its methods replaced by broken ones. */
function broken(patch: (store: StateStore) => Partial<StateStore>): () => StateStore {
  return () => {
    const store = openMemoryStore();
    const replaced = patch(store);
    return new Proxy(store, {
      get(target, name) {
        const own = (replaced as Record<string | symbol, unknown>)[name];
        if (own !== undefined) return own;
        const value: unknown = Reflect.get(target, name);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  };
}

const BROKEN: [string, () => StateStore, string][] = [
  [
    "putIfAbsent overwrites",
    broken((s) => ({
      putIfAbsent: async (ns, key, value) => {
        await s.setValues(ns, [[key, value]]);
        return value;
      },
    })),
    "putIfAbsent: the first value wins, also of two at once",
  ],
  [
    "journal drops a record",
    broken((s) => ({ journal: (records: JournalRecord[]) => s.journal(records.slice(1)) })),
    "journal: all or none, read back in (seq, phase) order, per run",
  ],
  [
    "namespaces share one space",
    broken((s) => ({
      getValues: (_ns, keys) => s.getValues("shared", keys),
      setValues: (_ns, entries) => s.setValues("shared", entries),
    })),
    "values: namespaces are isolated; get, set, all and count",
  ],
  [
    "snapshotHash never changes",
    broken(() => ({ snapshotHash: async () => "0".repeat(32) })),
    "snapshotHash: changes with every commit of any source, stable otherwise",
  ],
  [
    "personTexts in reverse order",
    broken((s) => ({
      personTexts: async function* (source?: string) {
        const pages: string[][] = [];
        for await (const page of s.personTexts(source)) pages.unshift(page);
        yield* pages;
      },
    })),
    "persons, personTexts and groups: (source, id) order, pages agree, filtered by source",
  ],
  [
    "updateRun ignores the patch",
    broken(() => ({ updateRun: async () => {} })),
    "runs: create, update, get and list in start order",
  ],
  [
    "ingest ignores checkpoints and commits only at the end",
    broken((s) => ({
      ingest: async (source, events) => {
        const all = [];
        for await (const e of events) all.push(e);
        return s.ingest(source, all);
      },
    })),
    "ingest: a half-finished pull is incomplete with its last checkpoint, and resumes from it",
  ],
];

describe("the store contract fails a store broken on purpose", () => {
  it("passes the memory store behind the same proxy unbroken", async () => {
    const open = broken(() => ({}));
    for (const check of Object.values(storeChecks)) await check(open);
  });

  for (const [what, open, check] of BROKEN) {
    it(`${what}: "${check}" fails`, async () => {
      const run = storeChecks[check];
      expect(run).toBeDefined();
      await expect((run as NonNullable<typeof run>)(open)).rejects.toMatchObject({ name: "AssertionError" });
    });
  }
});
