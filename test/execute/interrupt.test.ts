/**
 * Finding 2 of issue 16 ("an interrupted apply leaves a lie"): a real `overstap apply` (the CLI,
 * a child process) gets a real SIGINT or SIGTERM while it runs. It stops after the operations
 * in flight, marks its run `interrupted`, exits 130 and prints the exact command that resumes it;
 * that command, run as printed, ends in exactly the planned state. Applying the plan again says
 * to resume (while interrupted) or that it was applied (after), never that someone else changed
 * the target. A run whose process was killed outright is listed as interrupted.
 */
import type { ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planStage } from "../../src/app/plan-stage.js";
import { openProject } from "../../src/app/project.js";
import { pullSources } from "../../src/app/pull.js";
import type { Run } from "../../src/model/journal.js";
import type { TargetEntry } from "../../src/model/target-entry.js";
import { readPlan } from "../../src/plan/plan-file.js";
import { overstap, overstapLine, spawnOverstap } from "../support/cli.js";
import { crashWorld, plannedState, readWorldTarget, stateDifferences, writeWorld } from "./crash-world.js";

const PLAN = "bestuur.plan";
let root = "";
let template = "";
let expected: Map<string, TargetEntry>;
let totalOps = 0;

function journalCount(dir: string): number {
  try {
    const db = new Database(path.join(dir, "state.db"), { readonly: true, fileMustExist: true });
    try {
      return db.prepare("SELECT count(*) FROM journal").pluck().get() as number;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

/** Sends `signal` to the child once the run has journaled `records` records; resolves on its exit. */
function signalWhen(
  child: ChildProcess,
  dir: string,
  records: number,
  signal: NodeJS.Signals,
): Promise<{ code: number | null; stderr: string; sentAt: number }> {
  return new Promise((resolve) => {
    let stderr = "";
    let sentAt = -1;
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const poll = setInterval(() => {
      const n = journalCount(dir);
      if (n >= records && sentAt < 0) {
        sentAt = n;
        child.kill(signal);
      }
    }, 5);
    child.on("exit", (code) => {
      clearInterval(poll);
      resolve({ code, stderr, sentAt });
    });
  });
}

function world(name: string): { dir: string; config: string; plan: string } {
  const dir = path.join(root, name);
  cpSync(template, dir, { recursive: true });
  return { dir, config: path.join(dir, "overstap.yaml"), plan: path.join(dir, PLAN) };
}

async function runsOf(config: string): Promise<Run[]> {
  const listed = await overstap(config, "--json", "runs");
  expect(listed.code, listed.stderr).toBe(0);
  return JSON.parse(listed.stdout) as Run[];
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "overstap-interrupt-"));
  template = path.join(root, "template");
  mkdirSync(template, { mode: 0o700 });
  const files = crashWorld();
  // 60 operations a second: the run lasts several seconds, so the signal lands inside it.
  files["overstap.yaml"] = (files["overstap.yaml"] as string).replace(
    "execution: { concurrency: 4,",
    "execution: { concurrency: 4, ratePerSecond: 60,",
  );
  writeWorld(template, files);
  const start = await readWorldTarget(template);
  const project = await openProject(path.join(template, "overstap.yaml"));
  try {
    await pullSources(project);
    await planStage(project, "bestuur", path.join(template, PLAN));
  } finally {
    await project.close();
  }
  const plan = await readPlan(path.join(template, PLAN));
  totalOps = plan.operations.length;
  expected = plannedState(start, plan.operations);
}, 120_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe("an apply stopped by a signal", () => {
  it("SIGINT: stops after the operations in flight, says how to resume, and the resume ends in the planned state", async () => {
    const { dir, config, plan } = world("sigint");
    const stopped = await signalWhen(
      spawnOverstap(config, "apply", plan, "--allow-deletes"),
      dir,
      60,
      "SIGINT",
    );
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toContain("SIGINT: Stopping after the operations in flight");
    const [run] = await runsOf(config);
    expect(run?.status).toBe("interrupted");
    expect(run?.done).toBeGreaterThan(0);
    expect(run?.done).toBeLessThan(totalOps);
    const resume = `overstap -c ${config} apply ${plan} --resume ${run?.id} --allow-deletes`;
    expect(stopped.stderr).toContain(`Interrupted [RUN_INTERRUPTED]: the run ${run?.id} was interrupted`);
    expect(stopped.stderr).toContain(`Finish it with: ${resume}`);
    // Every operation that was begun was either done or is still to be sent: none failed.
    expect(run?.failed).toBe(0);

    // The plan again, without --resume: the way on, not "someone else changed the target".
    const again = await overstap(config, "apply", plan, "--allow-deletes");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`Resume it with: ${resume}`);
    expect(again.stderr).not.toContain("Someone else");

    // The command exactly as printed.
    const resumed = await overstapLine(resume.split(" ").slice(1));
    expect(resumed.code, resumed.stderr).toBe(0);
    const [done] = await runsOf(config);
    expect(done?.status).toBe("completed");
    expect(done?.done).toBe(totalOps);
    const entries = await readWorldTarget(dir);
    expect(stateDifferences(entries, expected)).toEqual({ wrong: [], missing: [] });
    expect(entries.length).toBe(expected.size);

    // Applied: the plan once more says so, and writes nothing.
    const thrice = await overstap(config, "apply", plan, "--allow-deletes");
    expect(thrice.code).toBe(1);
    expect(thrice.stderr).toContain(`[PLAN_APPLIED]: this plan was already applied as run ${run?.id}`);
    expect(journalCount(dir)).toBe(2 * totalOps);
  }, 120_000);

  it("SIGTERM stops it the same way", async () => {
    const { dir, config, plan } = world("sigterm");
    const stopped = await signalWhen(
      spawnOverstap(config, "apply", plan, "--allow-deletes"),
      dir,
      20,
      "SIGTERM",
    );
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toContain("SIGTERM: Stopping");
    const [run] = await runsOf(config);
    expect(run?.status).toBe("interrupted");
    expect(stopped.stderr).toContain(`--resume ${run?.id} --allow-deletes`);
  }, 120_000);

  it("SIGKILL: the dead process's run is listed as interrupted, with its resume command", async () => {
    const { dir, config, plan } = world("sigkill");
    const killed = await signalWhen(
      spawnOverstap(config, "apply", plan, "--allow-deletes"),
      dir,
      20,
      "SIGKILL",
    );
    expect(killed.code).toBeNull();
    const [run] = await runsOf(config);
    expect(run?.status).toBe("interrupted");
    const table = await overstap(config, "runs");
    expect(table.stdout.split("\n")[0]).toMatch(
      /^RUN\s+STATUS\s+WHAT\s+DONE\s+FAILED\s+STARTED\s+FINISHED\s+BY/,
    );
    expect(table.stdout).toContain(`interrupted`);
    expect(table.stdout).toContain(`resume: overstap -c ${config} apply ${plan} --resume ${run?.id}`);
    const again = await overstap(config, "apply", plan, "--allow-deletes");
    expect(again.stderr).toContain(`this plan already has a run, ${run?.id}, that is interrupted`);
  }, 120_000);
});
