import { describe, expect, it } from "vitest";
import { buildRunReport } from "../../src/report/run-model.js";
import { RunReportSchema } from "../../src/report/schema.js";
import { shellQuote } from "../../src/report/shell-quote.js";
import { changePerson, createPerson, journal, run } from "./fixtures.js";

describe("buildRunReport", () => {
  const a = createPerson("a", "11ZZ03", "student");
  const b = createPerson("b", "11ZZ03", "student");
  const c = changePerson("update", "c", "11ZZ03", "student");
  const d = changePerson("disable", "d", "11ZZ03", "student");
  const records = [
    journal("run-7", 0, "begin", a),
    journal("run-7", 0, "done", a),
    journal("run-7", 1, "begin", b),
    journal("run-7", 1, "failed", b, { code: "TARGET_CONFLICT", message: "uid=b,dc=x already exists" }),
    journal("run-7", 2, "begin", c),
    journal("run-7", 2, "failed", c, { code: "TARGET_WRITE", message: "busy" }),
    journal("run-7", 2, "begin", c),
    journal("run-7", 2, "done", c),
    journal("run-7", 3, "begin", d),
    journal("other-run", 4, "done", d),
  ];

  it("counts each operation by its last journal record", () => {
    const report = buildRunReport(run(), records);
    expect(RunReportSchema.parse(report)).toEqual(report);
    expect(report.counts).toEqual({ done: 2, failed: 1, inDoubt: 1, notStarted: 1 });
    expect(report.done.person).toEqual({ create: 1, update: 1 });
    expect(report.failed.person).toEqual({ create: 1 });
    expect(report.failures).toEqual([{ code: "TARGET_CONFLICT", count: 1 }]);
  });

  it("counts a resumed operation as done when the failure of its first attempt comes after the done", () => {
    // The order in which the SQLite store reads a journal back: by sequence number, then phase.
    const keyOrder = [
      journal("run-7", 0, "begin", c),
      journal("run-7", 0, "done", c),
      journal("run-7", 0, "failed", c, { code: "TARGET_WRITE", message: "busy" }),
    ];
    const report = buildRunReport(run({ status: "completed", total: 1 }), keyOrder);
    expect(report.counts).toEqual({ done: 1, failed: 0, inDoubt: 0, notStarted: 0 });
    expect(report.failures).toEqual([]);
    expect(report.commands.resume).toBeNull();
  });

  it("gives the exact commands to resume and to roll back", () => {
    const report = buildRunReport(run({ planFile: "plans/fase 1.jsonl" }), records);
    expect(report.commands).toEqual({
      resume: "overstap apply 'plans/fase 1.jsonl' --resume run-7",
      rollback: "overstap rollback run-7",
    });
  });

  it("offers no resume for a completed run without failures", () => {
    const report = buildRunReport(run({ status: "completed", total: 1 }), records.slice(0, 2));
    expect(report.commands.resume).toBeNull();
    expect(report.commands.rollback).toBe("overstap rollback run-7");
  });

  it("keeps keys and messages out unless includeNames", () => {
    expect(JSON.stringify(buildRunReport(run(), records))).not.toContain("uid=b");
    const named = buildRunReport(run(), records, { includeNames: true });
    expect(named.names?.failures).toEqual([
      {
        seq: 1,
        kind: "create",
        type: "person",
        key: "uid=b,dc=x",
        code: "TARGET_CONFLICT",
        message: "uid=b,dc=x already exists",
      },
    ]);
  });
});

describe("shellQuote", () => {
  it("quotes what a shell would split or expand", () => {
    expect(shellQuote("plans/a.jsonl")).toBe("plans/a.jsonl");
    expect(shellQuote("it's $HOME")).toBe(`'it'\\''s $HOME'`);
  });
});
