import pg from "pg";
import { OverstapError } from "../errors.js";
import { describeHolder, type HeldLock, type LockHolder, type TargetLocks } from "../execute/target-lock.js";
import type { Run } from "../model/journal.js";
import { pgError } from "./pg-sql.js";

/** The advisory lock key of `target`'s applies: the same for every schema on the server. */
const KEY = "hashtextextended($1, 0)";
const keyText = (target: string) => `overstap apply:${target}`;

/**
 * Target locks in PostgreSQL: a session-level advisory lock, keyed by the target's identity, on a
 * connection of its own that is held for the whole run; the lock is freed when the run ends or
 * when that connection closes (the process was killed, or its machine lost the network). The
 * holder is recorded in the institution's `target_locks` table for whoever is refused.
 */
export function postgresLocks(client: pg.ClientConfig, schema: string, where: string): TargetLocks {
  const connect = async () => {
    const c = new pg.Client({ ...client, keepAlive: true });
    c.on("error", () => {
      // The connection broke: the server freed the lock; the run's own writes report it.
    });
    await c.connect();
    return c;
  };
  return {
    async acquire(target, holder) {
      const c = await connect().catch((err) => Promise.reject(pgError(err, where)));
      try {
        const got = await c.query(`SELECT pg_try_advisory_lock(${KEY}) AS ok`, [keyText(target)]);
        if (!got.rows[0]?.ok) throw await refusal(c, schema, target);
        await recordHolder(c, schema, target, holder);
      } catch (err) {
        await c.end().catch(() => {});
        throw pgError(err, where);
      }
      return heldLock(c, schema, target, holder);
    },
    async assertFree(target) {
      const c = await connect().catch((err) => Promise.reject(pgError(err, where)));
      try {
        const got = await c.query(`SELECT pg_try_advisory_lock_shared(${KEY}) AS ok`, [keyText(target)]);
        if (!got.rows[0]?.ok) throw await refusal(c, schema, target);
      } catch (err) {
        throw pgError(err, where);
      } finally {
        await c.end().catch(() => {});
      }
    },
  };
}

function heldLock(c: pg.Client, schema: string, target: string, holder: LockHolder): HeldLock {
  let released = false;
  return {
    async holdFor(run: Run) {
      await recordHolder(c, schema, target, { ...holder, runId: run.id });
    },
    async release() {
      if (released) return;
      released = true;
      await c.query(`SELECT pg_advisory_unlock(${KEY})`, [keyText(target)]).catch(() => {});
      await c.end().catch(() => {});
    },
  };
}

async function recordHolder(c: pg.Client, schema: string, target: string, holder: LockHolder): Promise<void> {
  await c.query(
    `INSERT INTO ${schema}.target_locks (target, holder) VALUES ($1, $2)
     ON CONFLICT (target) DO UPDATE SET holder = EXCLUDED.holder`,
    [target, JSON.stringify(holder)],
  );
}

/** The RUN_IN_PROGRESS error of a lock held by someone else, naming the holder when known. */
async function refusal(c: pg.Client, schema: string, target: string): Promise<OverstapError> {
  const res = await c.query(`SELECT holder FROM ${schema}.target_locks WHERE target = $1`, [target]);
  const row = res.rows[0] as { holder: string } | undefined;
  const holder = row ? (JSON.parse(row.holder) as LockHolder) : undefined;
  const who = holder ? describeHolder(holder) : "a process of another institution's configuration";
  return new OverstapError("RUN_IN_PROGRESS", `an apply on ${target} is running: ${who}; nothing was done`, {
    hint: "Wait for it to finish. A killed or disconnected holder frees the lock by itself; then resume its run.",
    details: { target, ...(holder ? { holder } : {}) },
  });
}
