/**
 * Finding 3 of issue 16: after a failed apply the advice was always "fix the failures, then
 * `apply --resume`", which cannot work when the directory refused the values the plan carries
 * (only a new plan does). Transient failures are resumed; the others need a new plan.
 */
import { describe, expect, it } from "vitest";
import { failureAdvice } from "../../src/cli/advice.js";
import type { JournalRecord, Run } from "../../src/model/journal.js";
import { openSqliteStore } from "../../src/state/sqlite.js";

const RUN: Run = {
  id: "20261207-120000-abcd",
  planId: "p",
  planHash: "h",
  planFile: "pilot.plan",
  stage: "pilot",
  stageIndex: 0,
  kind: "migrate",
  status: "failed",
  startedAt: "2026-12-07T12:00:00.000Z",
  total: 3,
  done: 0,
  failed: 3,
};
const COMMANDS = { resume: "RESUME", replan: "REPLAN", report: "REPORT" };

async function adviceFor(failures: [number, string][], doneLater: number[] = []): Promise<string[]> {
  const store = openSqliteStore(":memory:");
  await store.createRun(RUN);
  const at = RUN.startedAt;
  const records: JournalRecord[] = failures.map(([seq, code]) => ({
    runId: RUN.id,
    seq,
    at,
    phase: "failed",
    error: { code, message: "refused" },
  }));
  for (const seq of doneLater) records.push({ runId: RUN.id, seq, at, phase: "done" });
  await store.journal(records);
  try {
    return await failureAdvice(store, RUN, COMMANDS);
  } finally {
    await store.close();
  }
}

describe("advice after a failed apply", () => {
  it("an object-class violation (the plan's values): make a new plan, not resume", async () => {
    const advice = await adviceFor([
      [0, "TARGET_SCHEMA"],
      [1, "TARGET_SCHEMA"],
    ]);
    expect(advice.join("\n")).toContain("2 cannot succeed with this plan");
    expect(advice.join("\n")).toContain("REPLAN");
    expect(advice.join("\n")).not.toContain("RESUME");
  });

  it("a lost connection: resume", async () => {
    const advice = await adviceFor([[0, "TARGET_UNREACHABLE"]]);
    expect(advice.join("\n")).toContain("finish the run with: RESUME");
    expect(advice.join("\n")).not.toContain("REPLAN");
  });

  it("both kinds: both ways, with the counts", async () => {
    const advice = await adviceFor([
      [0, "TARGET_UNREACHABLE"],
      [1, "TARGET_CONFLICT"],
      [2, "TARGET_SCHEMA"],
    ]);
    expect(advice[0]).toBe(
      "3 operation(s) failed (1 TARGET_UNREACHABLE, 1 TARGET_CONFLICT, 1 TARGET_SCHEMA); each one is listed by: REPORT",
    );
    expect(advice[1]).toMatch(/^1 failed on the connection/);
    expect(advice[2]).toMatch(/^2 cannot succeed/);
  });

  it("an operation that failed and was done by a resume is no failure", async () => {
    expect(await adviceFor([[0, "TARGET_UNREACHABLE"]], [0])).toEqual([]);
  });
});
