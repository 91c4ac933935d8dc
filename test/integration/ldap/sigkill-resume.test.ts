import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Run } from "../../../src/model/journal.js";
import type { PersonInput } from "../../../src/model/person.js";
import { openSqliteStore } from "../../../src/state/sqlite.js";
import { overstap as runOverstap, startOverstap } from "../../support/cli.js";
import { type Slapd, startSlapd } from "../../support/slapd.js";
import { ENTREE_MAPPING, exportLdif, ldapWorld } from "./world.js";

/** Kill points per run of the suite: 5 in CI, 2 locally; OVERSTAP_KILL_POINTS=20 for the full acceptance run. */
const KILL_POINTS = Number(process.env.OVERSTAP_KILL_POINTS ?? (process.env.CI ? 5 : 2));
const PERSONS = 100;

let slapd: Slapd;
beforeAll(async () => {
  slapd = await startSlapd();
});
afterAll(async () => {
  await slapd?.stop();
});

async function overstap(config: string, ...args: string[]): Promise<string> {
  const { code, stdout, stderr } = await runOverstap(config, ...args);
  if (code !== 0) throw new Error(`overstap ${args.join(" ")} exited ${code}:\n${stderr}`);
  return stdout;
}

/** Ids of the runs in the state store, read without taking a write lock from the running CLI. */
function runIds(config: string): string[] {
  const db = new Database(path.join(path.dirname(config), "state.db"), {
    readonly: true,
    fileMustExist: true,
  });
  try {
    return db
      .prepare("SELECT id FROM runs")
      .all()
      .map((r) => (r as { id: string }).id);
  } catch {
    return [];
  } finally {
    db.close();
  }
}

/**
 * Starts `overstap apply`, waits until it has created its run (the writes start right after), and
 * SIGKILLs it `ms` later, so that the kill lands while it writes rather than while Node starts;
 * resolves when the process is gone.
 */
async function applyKilledDuringRun(
  config: string,
  plan: string,
  known: Set<string>,
  ms: number,
): Promise<void> {
  const child = startOverstap(["-c", config, "apply", plan], { stdio: "ignore" });
  let exited = false;
  const gone = new Promise<void>((resolve) =>
    child.on("exit", () => {
      exited = true;
      resolve();
    }),
  );
  while (!exited && !runIds(config).some((id) => !known.has(id))) await sleep(5);
  if (!exited) {
    await Promise.race([sleep(ms), gone]);
    child.kill("SIGKILL");
  }
  await gone;
}

async function runs(config: string): Promise<Run[]> {
  const store = openSqliteStore(path.join(path.dirname(config), "state.db"));
  try {
    return await store.listRuns();
  } finally {
    await store.close();
  }
}

describe("SIGKILL during apply, then apply --resume", () => {
  it(
    `ends in exactly the planned state at ${KILL_POINTS} random kill points, and rollback restores the start`,
    async () => {
      const persons: PersonInput[] = Array.from({ length: PERSONS }, (_, i) => ({
        source: "las",
        id: String(i),
        givenName: ["Zoë", "Daan", "Ødegård", "Thi"][i % 4] as string,
        surname: `Çelik${i}`,
        number: String(1000 + i),
        roles: ["student"],
      }));
      const w = await ldapWorld(slapd, persons, [], ENTREE_MAPPING);
      await w.target.close();
      await w.store.close();
      const config = path.join(w.dir, "overstap.yaml");
      const start = await exportLdif(slapd);

      await overstap(config, "plan", "--stage", "all", "--out", path.join(w.dir, "ref.plan"));
      await overstap(config, "apply", path.join(w.dir, "ref.plan"));
      const planned = await exportLdif(slapd);
      expect(planned).not.toBe(start);
      const ref = (await runs(config)).find((r) => r.kind === "migrate");
      const writeMs = Date.parse(ref?.finishedAt ?? "") - Date.parse(ref?.startedAt ?? "");
      expect(writeMs).toBeGreaterThan(0);
      await overstap(config, "rollback", ref?.id as string, "--out", path.join(w.dir, "ref-undo.plan"));
      await overstap(config, "apply", path.join(w.dir, "ref-undo.plan"), "--yes");
      expect(await exportLdif(slapd)).toBe(start);

      const outcomes = { "before the run started": 0, "mid-run": 0, "after it completed": 0 };
      for (let k = 0; k < KILL_POINTS; k++) {
        const plan = path.join(w.dir, `p${k}.plan`);
        await overstap(config, "plan", "--stage", "all", "--out", plan);
        const known = new Set((await runs(config)).map((r) => r.id));
        await applyKilledDuringRun(config, plan, known, Math.random() * writeMs);
        const killed = (await runs(config)).find((r) => !known.has(r.id));
        if (!killed) {
          outcomes["before the run started"]++;
          await overstap(config, "apply", plan);
        } else if (killed.status === "completed") {
          outcomes["after it completed"]++;
        } else {
          outcomes["mid-run"]++;
          await overstap(config, "apply", plan, "--resume", killed.id);
        }
        expect(await exportLdif(slapd), `kill point ${k}`).toBe(planned);
        const done = (await runs(config)).filter((r) => !known.has(r.id) && r.kind === "migrate");
        expect(done.map((r) => r.status)).toEqual(["completed"]);
        await overstap(config, "rollback", done[0]?.id as string, "--out", path.join(w.dir, `undo${k}.plan`));
        await overstap(config, "apply", path.join(w.dir, `undo${k}.plan`), "--yes");
        expect(await exportLdif(slapd), `rollback after kill point ${k}`).toBe(start);
      }
      console.info(`SIGKILL at ${KILL_POINTS} points:`, outcomes);
    },
    120_000 + KILL_POINTS * 60_000,
  );
});
