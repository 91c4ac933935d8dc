import { describe, expect, it } from "vitest";
import type { OverstapError } from "../../src/errors.js";
import type { SourceEvent } from "../../src/model/connector.js";
import type { JournalRecord, Run } from "../../src/model/journal.js";
import type { StateStore } from "../../src/state/store.js";

/** Opens a fresh, empty store. */
export type OpenStore = () => StateStore | Promise<StateStore>;

/** One check of the contract: opens its own store, throws when the store breaks the contract. */
export type StoreCheck = (open: OpenStore) => Promise<void>;

/** A source person for the store tests. */
export const person = (id: string, givenName = "Piet") => ({
  source: "las",
  id,
  givenName,
  roles: [],
  enabled: true,
  groups: [],
  ext: {},
});
const group = (id: string, members: string[] = []) => ({
  source: "las",
  id,
  name: `g${id}`,
  kind: "security" as const,
  members,
  owners: [],
  ext: {},
});
const put = (id: string, givenName?: string): SourceEvent => ({
  type: "person",
  person: person(id, givenName),
});
const done = (checkpoint: unknown = null): SourceEvent => ({ type: "checkpoint", checkpoint, done: true });

const run = (id: string, startedAt: string): Run => ({
  id,
  planId: "p",
  planHash: "h",
  planFile: "f",
  stage: "s",
  stageIndex: 0,
  kind: "migrate",
  status: "running",
  startedAt,
  total: 2,
  done: 0,
  failed: 0,
});
const op = (seq: number) => ({
  seq,
  kind: "delete" as const,
  type: "person" as const,
  key: `uid=${seq}`,
  fingerprint: "x",
});
const begin = (runId: string, seq: number): JournalRecord => ({
  runId,
  seq,
  phase: "begin",
  at: "t",
  op: op(seq),
  before: null,
});
const finished = (runId: string, seq: number): JournalRecord => ({
  runId,
  seq,
  phase: "done",
  at: "t",
  after: null,
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
const ids = async (items: AsyncIterable<{ id: string }>) => (await collect(items)).map((x) => x.id);

/** Runs `check` against a fresh store and closes it afterwards, whatever happened. */
function withStore(check: (store: StateStore) => Promise<void>): StoreCheck {
  return async (open) => {
    const store = await open();
    try {
      await check(store);
    } finally {
      await store.close();
    }
  };
}

/** Events, then a failure as a killed connection would give. */
async function* dying(events: SourceEvent[]): AsyncIterable<SourceEvent> {
  yield* events;
  throw new Error("connection reset");
}

/**
 * The state store contract, check by check. Every backend must pass all of them; each check
 * is a plain function, so a test can also show that a store broken on purpose fails it.
 */
export const storeChecks: Record<string, StoreCheck> = {
  "ingest: a checkpoint commits what came before; the done checkpoint completes the pull": withStore(
    async (store) => {
      expect(await store.sourceInfo("las")).toBeNull();
      const info = await store.ingest("las", [
        { type: "reset" },
        put("1"),
        { type: "checkpoint", checkpoint: { page: 1 } },
        put("2"),
        { type: "group", group: group("g", ["1", "2"]) },
        { type: "invalid", record: "line 3", id: "3", field: "Achternaam", reason: "empty" },
        done({ page: 2 }),
      ]);
      expect(info).toMatchObject({
        source: "las",
        persons: 2,
        groups: 1,
        invalid: 1,
        complete: true,
        checkpoint: { page: 2 },
      });
      expect(typeof info.pulledAt).toBe("string");
      expect(await store.sourceInfo("las")).toEqual(info);
      expect(await ids(store.persons("las"))).toEqual(["1", "2"]);
      expect(await collect(store.groups("las"))).toEqual([group("g", ["1", "2"])]);
      expect(await collect(store.invalidRecords("las"))).toEqual([
        { source: "las", record: "line 3", id: "3", field: "Achternaam", reason: "empty" },
      ]);
    },
  ),

  "ingest: a half-finished pull is incomplete with its last checkpoint, and resumes from it": withStore(
    async (store) => {
      await expect(
        store.ingest(
          "las",
          dying([{ type: "reset" }, put("1"), { type: "checkpoint", checkpoint: { next: "p2" } }, put("2")]),
        ),
      ).rejects.toThrow("connection reset");
      expect(await store.sourceInfo("las")).toMatchObject({
        persons: 1,
        complete: false,
        checkpoint: { next: "p2" },
        pulledAt: null,
      });
      expect(await ids(store.persons())).toEqual(["1"]);
      const info = await store.ingest("las", [put("2"), done({ next: null })]);
      expect(info).toMatchObject({ persons: 2, complete: true, checkpoint: { next: null } });
      expect(await ids(store.persons())).toEqual(["1", "2"]);
    },
  ),

  "ingest: events after the last checkpoint are kept when the stream ends, the pull stays incomplete":
    withStore(async (store) => {
      const info = await store.ingest("las", [
        { type: "reset" },
        put("1"),
        { type: "checkpoint", checkpoint: 7 },
        put("2"),
      ]);
      expect(info).toMatchObject({ persons: 2, complete: false, checkpoint: 7 });
    }),

  "ingest: a delta changes and removes, a reset replaces everything": withStore(async (store) => {
    await store.ingest("las", [
      { type: "reset" },
      put("1"),
      put("2"),
      { type: "group", group: group("g") },
      { type: "invalid", record: "r", reason: "bad" },
      done(),
    ]);
    await store.ingest("las", [put("2", "Klaas"), { type: "remove", kind: "person", id: "1" }, done()]);
    expect(await collect(store.persons("las"))).toEqual([person("2", "Klaas")]);
    expect(await store.sourceInfo("las")).toMatchObject({
      persons: 1,
      groups: 1,
      invalid: 1,
      complete: true,
    });
    await store.ingest("las", [{ type: "remove", kind: "group", id: "g" }, done()]);
    expect(await collect(store.groups())).toEqual([]);
    const info = await store.ingest("las", [{ type: "reset" }, put("3")]);
    expect(info).toMatchObject({ persons: 1, groups: 0, invalid: 0, complete: false });
    expect(info.checkpoint).toBeUndefined();
    expect(await ids(store.persons())).toEqual(["3"]);
  }),

  "ingest: records failing their schema become invalid records; nothing at all is an error": withStore(
    async (store) => {
      await store.ingest("las", [
        { type: "reset" },
        put("1"),
        { type: "person", person: { ...person("2"), enabled: "yes" } as never },
        { type: "group", group: { ...group("g"), members: "all" } as never },
        done(),
      ]);
      expect(await collect(store.invalidRecords())).toEqual([
        { source: "las", record: "las:2", id: "2", field: "enabled", reason: expect.any(String) },
        { source: "las", record: "las:g", field: "members", reason: expect.any(String) },
      ]);
      expect(await store.sourceInfo("las")).toMatchObject({ persons: 1, groups: 0, invalid: 2 });
      const err = (await store.ingest("empty", []).catch((e: unknown) => e)) as OverstapError;
      expect(err.code).toBe("STATE_INVALID");
    },
  ),

  "snapshotHash: changes with every commit of any source, stable otherwise": withStore(async (store) => {
    const empty = await store.snapshotHash();
    expect(empty).toMatch(/^[0-9a-f]{32}$/);
    await store.ingest("las", [{ type: "reset" }, put("1"), done()]);
    const one = await store.snapshotHash();
    expect(one).not.toBe(empty);
    await collect(store.persons());
    await store.setValues("ns", [["k", "v"]]);
    expect(await store.snapshotHash()).toBe(one);
    await store.ingest("las", [put("2"), done()]);
    const two = await store.snapshotHash();
    expect(two).not.toBe(one);
    await store.ingest("hr", [{ type: "reset" }, put("9"), done()]);
    expect(await store.snapshotHash()).not.toBe(two);
  }),

  "persons, personTexts and groups: (source, id) order, pages agree, filtered by source": withStore(
    async (store) => {
      const n = 5003;
      const many = Array.from({ length: n }, (_, i) => put(String(n - i).padStart(5, "0")));
      await store.ingest("zz", [{ type: "reset" }, put("a"), done()]);
      await store.ingest("las", [
        { type: "reset" },
        ...many,
        { type: "group", group: group("b") },
        { type: "group", group: group("a") },
        done(),
      ]);
      const all = await collect(store.persons());
      expect(all.map((p) => `${p.source === "las" ? "las" : "zz"}`).at(-1)).toBe("las");
      const lasIds = await ids(store.persons("las"));
      expect(lasIds).toHaveLength(n);
      expect(lasIds).toEqual([...lasIds].sort());
      const pages = await collect(store.personTexts());
      expect(pages.length).toBeGreaterThan(1);
      expect(pages.flat().map((t) => JSON.parse(t) as unknown)).toEqual(all);
      expect(
        (await collect(store.personTexts("zz"))).flat().map((t) => (JSON.parse(t) as { id: string }).id),
      ).toEqual(["a"]);
      expect(await collect(store.personTexts("none"))).toEqual([]);
      expect(await ids(store.groups("las"))).toEqual(["a", "b"]);
      expect(await ids(store.groups("zz"))).toEqual([]);
    },
  ),

  "values: namespaces are isolated; get, set, all and count": withStore(async (store) => {
    await store.setValues("a", [
      ["k2", "2"],
      ["k1", "1"],
    ]);
    await store.setValues("b", [["k1", "other"]]);
    await store.setValues("a", [["k2", "two"]]);
    expect(await store.getValues("a", ["k1", "k2", "k3"])).toEqual(
      new Map([
        ["k1", "1"],
        ["k2", "two"],
      ]),
    );
    expect(await store.getValues("b", ["k1", "k2"])).toEqual(new Map([["k1", "other"]]));
    expect(await collect(store.allValues("a"))).toEqual([
      ["k1", "1"],
      ["k2", "two"],
    ]);
    expect(await store.countValues("a")).toBe(2);
    expect(await store.countValues("b")).toBe(1);
    expect(await store.countValues("c")).toBe(0);
    expect(await collect(store.allValues("c"))).toEqual([]);
  }),

  "putIfAbsent: the first value wins, also of two at once": withStore(async (store) => {
    expect(await store.putIfAbsent("ids", "k", "first")).toBe("first");
    expect(await store.putIfAbsent("ids", "k", "second")).toBe("first");
    const both = await Promise.all([store.putIfAbsent("ids", "j", "x"), store.putIfAbsent("ids", "j", "y")]);
    expect(both[1]).toBe(both[0]);
    expect(await store.getValues("ids", ["k", "j"])).toEqual(
      new Map([
        ["k", "first"],
        ["j", both[0]],
      ]),
    );
    expect(await store.putIfAbsent("other", "k", "mine")).toBe("mine");
  }),

  "runs: create, update, get and list in start order": withStore(async (store) => {
    expect(await store.getRun("r1")).toBeNull();
    await store.createRun(run("r2", "2026-01-02T00:00:00Z"));
    await store.createRun(run("r1", "2026-01-01T00:00:00Z"));
    await store.createRun(run("r0", "2026-01-02T00:00:00Z"));
    await store.updateRun("r1", { status: "completed", done: 2, finishedAt: "2026-01-01T01:00:00Z" });
    expect(await store.getRun("r1")).toEqual({
      ...run("r1", "2026-01-01T00:00:00Z"),
      status: "completed",
      done: 2,
      finishedAt: "2026-01-01T01:00:00Z",
    });
    expect((await store.listRuns()).map((r) => r.id)).toEqual(["r1", "r0", "r2"]);
    const err = (await store.updateRun("nope", { done: 1 }).catch((e: unknown) => e)) as OverstapError;
    expect(err.code).toBe("RUN_UNKNOWN");
  }),

  "journal: all or none, read back in (seq, phase) order, per run": withStore(async (store) => {
    await store.journal([begin("r1", 1), begin("r1", 0), begin("r2", 0)]);
    await store.journal([finished("r1", 0)]);
    await store.journal([finished("r1", 0)]);
    expect(await collect(store.readJournal("r1"))).toEqual([
      begin("r1", 0),
      finished("r1", 0),
      begin("r1", 1),
    ]);
    expect(await collect(store.readJournal("r2"))).toEqual([begin("r2", 0)]);
    const unwritable = { ...finished("r1", 1), at: 1n } as unknown as JournalRecord;
    await expect(store.journal([finished("r3", 0), unwritable])).rejects.toThrow();
    expect(await collect(store.readJournal("r3"))).toEqual([]);
    expect(await collect(store.readJournal("none"))).toEqual([]);
  }),

  "close: resolves, and may be called again": async (open) => {
    const store = await open();
    await store.setValues("a", [["k", "v"]]);
    await store.close();
    await store.close();
  },
};

/** Registers the whole contract as tests against the store `open` gives. */
export function storeContract(name: string, open: OpenStore): void {
  describe(`state store contract: ${name}`, () => {
    for (const [title, check] of Object.entries(storeChecks)) it(title, () => check(open));
  });
}
