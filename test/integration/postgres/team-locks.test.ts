/**
 * Team mode's locks against a real PostgreSQL: two `overstap apply` processes on one target at
 * once (exactly one runs, the other is refused naming the holder), a plan refused while the
 * apply runs, then `kill -9` of the holder frees the lock and `apply --resume` finishes the run
 * in exactly the planned state. The apply is slowed by `execution.ratePerSecond`.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { hostname, tmpdir, userInfo } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateState } from "../../../src/app/migrate-state.js";
import { planStage } from "../../../src/app/plan-stage.js";
import { openProject, type Project } from "../../../src/app/project.js";
import { pullSources } from "../../../src/app/pull.js";
import type { Run } from "../../../src/model/journal.js";
import { readPlan } from "../../../src/plan/plan-file.js";
import {
  crashWorld,
  plannedState,
  readWorldTarget,
  stateDifferences,
  writeWorld,
} from "../../execute/crash-world.js";
import { overstap, startOverstap } from "../../support/cli.js";
import { type Postgres, startPostgres } from "../../support/postgres.js";

const SCHEMA = "proef";
let server: Postgres;
let admin: pg.Pool;
let dir = "";
let config = "";

beforeAll(async () => {
  server = await startPostgres();
  admin = new pg.Pool({ connectionString: server.url, max: 1 });
  process.env.OVERSTAP_PG_URL = server.url;
  dir = mkdtempSync(path.join(tmpdir(), "overstap-pg-locks-"));
  const world = crashWorld();
  world["overstap.yaml"] = (world["overstap.yaml"] as string)
    .replace(
      "state: { sqlite: state.db }",
      `state: { postgres: { url: { env: OVERSTAP_PG_URL }, schema: ${SCHEMA} } }`,
    )
    .replace("execution: { concurrency: 4,", "execution: { concurrency: 2, ratePerSecond: 40,");
  writeWorld(dir, world);
  config = path.join(dir, "overstap.yaml");
  await migrateState(config);
});
afterAll(async () => {
  await admin?.end();
  await server?.stop();
});

async function inProject<T>(fn: (project: Project) => Promise<T>): Promise<T> {
  const project = await openProject(config);
  try {
    return await fn(project);
  } finally {
    await project.close();
  }
}

/** Resolves with the exit code and stderr of a child. */
function exited(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = "";
  child.stderr?.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stderr })));
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const runs = async (): Promise<Run[]> => {
  const res = await admin.query(`SELECT data FROM ${SCHEMA}.runs ORDER BY started_at`);
  return (res.rows as { data: string }[]).map((r) => JSON.parse(r.data) as Run);
};
const advisoryLocks = async (): Promise<number> =>
  Number((await admin.query("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory'")).rows[0].n);

describe("team mode: one apply per target, held in PostgreSQL", () => {
  it("refuses the second apply and a plan naming the holder; kill -9 frees the lock; resume finishes", async () => {
    const start = await readWorldTarget(dir);
    await inProject(async (project) => {
      await pullSources(project);
      await planStage(project, "bestuur", path.join(dir, "bestuur.plan"));
    });
    const plan = await readPlan(path.join(dir, "bestuur.plan"));
    const opts = { stdio: ["ignore", "ignore", "pipe"] as ["ignore", "ignore", "pipe"] };
    const file = path.join(dir, "bestuur.plan");
    const first = startOverstap(["-c", config, "apply", file, "--allow-deletes", "--by", "Anna"], opts);
    const second = startOverstap(["-c", config, "apply", file, "--allow-deletes", "--by", "Bram"], opts);
    const ends = [exited(first), exited(second)];
    const loser = await Promise.race(ends.map((p, i) => p.then((r) => ({ ...r, i }))));
    expect(loser.code, loser.stderr).toBe(1);
    expect(loser.stderr).toContain("RUN_IN_PROGRESS");
    expect(loser.stderr).toContain(`${userInfo().username}@${hostname()}`);
    expect(loser.stderr).toMatch(/since \d{4}-/);
    const holder = loser.i === 0 ? second : first;
    const run = await until("the run to journal", async () => {
      const found = (await runs())[0];
      return found && found.done > 10 ? found : undefined;
    });
    expect(await runs()).toHaveLength(1);
    expect(run.by).toBe(loser.i === 0 ? "Bram" : "Anna");

    const refusedPlan = await overstap(
      config,
      "plan",
      "--stage",
      "bestuur",
      "--out",
      path.join(dir, "again.plan"),
    );
    expect(refusedPlan.code).toBe(1);
    expect(refusedPlan.stderr).toContain(`run ${run.id}`);

    holder.kill("SIGKILL");
    await ends[loser.i === 0 ? 1 : 0];
    await until("the advisory lock to be freed", async () =>
      (await advisoryLocks()) === 0 ? true : undefined,
    );
    const listed = await overstap(config, "--json", "runs");
    expect((JSON.parse(listed.stdout) as Run[])[0]?.status).toBe("interrupted");

    const resumed = await overstap(
      config,
      "apply",
      path.join(dir, "bestuur.plan"),
      "--resume",
      run.id,
      "--allow-deletes",
    );
    expect(resumed.code, resumed.stderr).toBe(0);
    expect((await runs())[0]?.status).toBe("completed");
    const expected = plannedState(start, plan.operations);
    expect(stateDifferences(await readWorldTarget(dir), expected)).toEqual({ wrong: [], missing: [] });
  });
});
