import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { SourceEvent } from "../../src/model/connector.js";
import { openSqliteStore } from "../../src/state/sqlite.js";
import type { StateStore } from "../../src/state/store.js";
import { person } from "./contract.js";

describe("SQLite state store", () => {
  let store: StateStore | undefined;
  afterEach(async () => store?.close());

  const open = () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "overstap-state-")), "state.db");
    store = openSqliteStore(file);
    return { store, file };
  };

  it("creates its file with mode 0600", () => {
    const { file } = open();
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("ingests a full pull and marks it complete only at the final checkpoint", async () => {
    const { store } = open();
    async function* events(): AsyncIterable<SourceEvent> {
      yield { type: "reset" };
      yield { type: "person", person: person("1") };
      yield { type: "checkpoint", checkpoint: { page: 1 } };
      yield { type: "person", person: person("2") };
      yield { type: "invalid", record: "line 3", field: "Achternaam", reason: "empty" };
      yield { type: "checkpoint", checkpoint: { page: 2 }, done: true };
    }
    const info = await store.ingest("las", events());
    expect(info).toMatchObject({ persons: 2, invalid: 1, complete: true, checkpoint: { page: 2 } });
    const ids: string[] = [];
    for await (const p of store.persons()) ids.push(p.id);
    expect(ids).toEqual(["1", "2"]);
  });

  it("keeps an interrupted pull incomplete with its last checkpoint", async () => {
    const { store } = open();
    const events: SourceEvent[] = [
      { type: "reset" },
      { type: "person", person: person("1") },
      { type: "checkpoint", checkpoint: { next: "p2" } },
      { type: "person", person: person("2") },
    ];
    const info = await store.ingest("las", events);
    expect(info.complete).toBe(false);
    expect(info.checkpoint).toEqual({ next: "p2" });
  });

  it("applies removes and records schema-invalid persons as invalid", async () => {
    const { store } = open();
    await store.ingest("las", [
      { type: "reset" },
      { type: "person", person: person("1") },
      { type: "person", person: { ...person("2"), enabled: "yes" } as never },
      { type: "checkpoint", checkpoint: null, done: true },
    ]);
    await store.ingest("las", [
      { type: "remove", kind: "person", id: "1" },
      { type: "checkpoint", checkpoint: null, done: true },
    ]);
    const info = await store.sourceInfo("las");
    expect(info).toMatchObject({ persons: 0, invalid: 1 });
    const invalid = [];
    for await (const r of store.invalidRecords()) invalid.push(r);
    expect(invalid[0]).toMatchObject({ record: "las:2", field: "enabled" });
  });

  it("keeps each source's counts from its last pull, and counts again after a pull that died", async () => {
    const { store } = open();
    await store.ingest("las", [
      { type: "reset" },
      ...["1", "2", "3"].map((id) => ({ type: "person" as const, person: person(id) })),
      { type: "checkpoint", checkpoint: null, done: true },
    ]);
    const kept = [];
    for await (const row of store.allValues("overstap.source-counts")) kept.push(row);
    expect(kept).toEqual([["las", JSON.stringify({ persons: 3, groups: 0, invalid: 0 })]]);
    async function* dies(): AsyncIterable<SourceEvent> {
      yield { type: "remove", kind: "person", id: "1" };
      yield { type: "checkpoint", checkpoint: { page: 1 } };
      throw new Error("connection reset");
    }
    await expect(store.ingest("las", dies())).rejects.toThrow("connection reset");
    expect(await store.sourceInfo("las")).toMatchObject({ persons: 2, complete: false });
  });

  it("pages through more persons than one page holds, in order", async () => {
    const { store } = open();
    const n = 12_345;
    await store.ingest("las", [
      { type: "reset" },
      ...Array.from({ length: n }, (_, i) => ({
        type: "person" as const,
        person: person(String(i).padStart(6, "0")),
      })),
      { type: "checkpoint", checkpoint: null, done: true },
    ]);
    let count = 0;
    let last = "";
    for await (const p of store.persons("las")) {
      expect(p.id > last).toBe(true);
      last = p.id;
      count++;
    }
    expect(count).toBe(n);
    const texts: string[] = [];
    for await (const page of store.personTexts()) texts.push(...page);
    const ids: string[] = [];
    for await (const p of store.persons()) ids.push(p.id);
    expect(texts.map((t) => (JSON.parse(t) as { id: string }).id)).toEqual(ids);
    const ofLas: string[] = [];
    for await (const page of store.personTexts("las")) ofLas.push(...page);
    expect(ofLas).toEqual(texts);
    const none: string[] = [];
    for await (const page of store.personTexts("other")) none.push(...page);
    expect(none).toEqual([]);
  });

  it("keeps runs and journal records", async () => {
    const { store } = open();
    const run = {
      id: "r1",
      planId: "p",
      planHash: "h",
      planFile: "f",
      stage: "s",
      stageIndex: 0,
      kind: "migrate" as const,
      status: "running" as const,
      startedAt: "2026-01-01T00:00:00Z",
      total: 1,
      done: 0,
      failed: 0,
    };
    await store.createRun(run);
    await store.updateRun("r1", { status: "completed", done: 1 });
    expect(await store.getRun("r1")).toMatchObject({ status: "completed", done: 1 });
    const op = { seq: 0, kind: "delete" as const, type: "person" as const, key: "uid=a", fingerprint: "x" };
    await store.journal([{ runId: "r1", seq: 0, phase: "begin", at: "t", op, before: null }]);
    await store.journal([{ runId: "r1", seq: 0, phase: "done", at: "t", after: null }]);
    const phases = [];
    for await (const r of store.readJournal("r1")) phases.push(r.phase);
    expect(phases).toEqual(["begin", "done"]);
  });
});
