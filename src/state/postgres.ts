import pg from "pg";
import { type JournalRecord, type Run, RunSchema } from "../model/journal.js";
import { assertCurrent } from "./pg-migrations.js";
import { PgSnapshots } from "./pg-snapshots.js";
import { CHUNK, inTransaction, pgError, upsertRows } from "./pg-sql.js";
import { patchedRun } from "./runs.js";
import type { StateStore } from "./store.js";

/** How to reach one institution's state in PostgreSQL. */
export interface PostgresTarget {
  /** The `pg` client configuration (see `clientConfig` in pg-config.ts). */
  client: pg.ClientConfig;
  /** The institution's schema; every table the store reads or writes is in it. */
  schema: string;
  /** Where the server is, for messages: never a password. */
  where: string;
}

/** A PostgreSQL state store: the {@link StateStore} contract, plus the pool it runs on (for locks). */
export interface PostgresStore extends StateStore {
  readonly pool: pg.Pool;
  readonly schema: string;
  readonly where: string;
}

/**
 * Opens the state of one institution in PostgreSQL. Its schema must be at the version this
 * Overstap expects; else a STATE_INVALID error says to run `overstap state migrate`.
 *
 * @example
 * const store = await openPostgresStore({ client: { connectionString: url }, schema: "overstap_baken", where });
 */
export async function openPostgresStore(target: PostgresTarget): Promise<PostgresStore> {
  const pool = new pg.Pool({ ...target.client, max: 4 });
  pool.on("error", () => {
    // An idle client lost its connection; the next query gets a new one or reports the error.
  });
  try {
    await assertCurrent(pool, target.schema, target.where);
  } catch (err) {
    await pool.end();
    throw pgError(err, target.where);
  }
  return guarded(new PgStore(pool, target.schema, target.where));
}

/** Every method of `store` with PostgreSQL's errors translated (see {@link pgError}). */
function guarded(store: PgStore): PostgresStore {
  return new Proxy(store, {
    get(obj, name) {
      const value: unknown = Reflect.get(obj, name);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const out: unknown = (value as (...a: unknown[]) => unknown).apply(obj, args);
        if (out instanceof Promise) return out.catch((err) => Promise.reject(pgError(err, obj.where)));
        return out;
      };
    },
  });
}

class PgStore extends PgSnapshots implements PostgresStore {
  readonly pool: pg.Pool;
  readonly schema: string;
  readonly where: string;

  constructor(pool: pg.Pool, schema: string, where: string) {
    super(pool, schema);
    this.pool = pool;
    this.schema = schema;
    this.where = where;
  }

  async getValues(ns: string, keys: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < keys.length; i += CHUNK) {
      const res = await this.pool.query({
        text: `SELECT key, value FROM ${this.schema}.kv WHERE ns = $1 AND key = ANY($2::text[])`,
        values: [ns, keys.slice(i, i + CHUNK)],
        rowMode: "array",
      });
      for (const [k, v] of res.rows as [string, string][]) out.set(k, v);
    }
    return out;
  }

  async *allValues(ns: string): AsyncIterable<[string, string]> {
    let after = "";
    for (;;) {
      const res = await this.pool.query({
        text: `SELECT key, value FROM ${this.schema}.kv WHERE ns = $1 AND key > $2 ORDER BY key LIMIT ${CHUNK}`,
        values: [ns, after],
        rowMode: "array",
      });
      const rows = res.rows as [string, string][];
      for (const row of rows) yield row;
      if (rows.length < CHUNK) return;
      after = (rows[rows.length - 1] as [string, string])[0];
    }
  }

  async countValues(ns: string): Promise<number> {
    const res = await this.pool.query(`SELECT count(*) AS n FROM ${this.schema}.kv WHERE ns = $1`, [ns]);
    return Number(res.rows[0]?.n ?? 0);
  }

  async setValues(ns: string, entries: Iterable<[string, string]>): Promise<void> {
    const rows: unknown[][] = [];
    for (const [k, v] of entries) rows.push([ns, k, v]);
    if (rows.length === 0) return;
    const columns = ["ns", "key", "value"].map((name) => ({ name, type: "text" }));
    await inTransaction(this.pool, (c) => upsertRows(c, `${this.schema}.kv`, columns, 2, rows));
  }

  async putIfAbsent(ns: string, key: string, value: string): Promise<string> {
    const inserted = await this.pool.query(
      `INSERT INTO ${this.schema}.kv (ns, key, value) VALUES ($1, $2, $3) ON CONFLICT (ns, key) DO NOTHING RETURNING value`,
      [ns, key, value],
    );
    if (inserted.rows[0]) return inserted.rows[0].value as string;
    const res = await this.pool.query(`SELECT value FROM ${this.schema}.kv WHERE ns = $1 AND key = $2`, [
      ns,
      key,
    ]);
    return res.rows[0]?.value as string;
  }

  async createRun(run: Run): Promise<void> {
    await this.pool.query(`INSERT INTO ${this.schema}.runs (id, started_at, data) VALUES ($1, $2, $3)`, [
      run.id,
      run.startedAt,
      JSON.stringify(RunSchema.parse(run)),
    ]);
  }

  async updateRun(id: string, patch: Partial<Omit<Run, "id">>): Promise<void> {
    const run = patchedRun(id, await this.getRun(id), patch);
    await this.pool.query(`UPDATE ${this.schema}.runs SET data = $1 WHERE id = $2`, [
      JSON.stringify(run),
      id,
    ]);
  }

  async getRun(id: string): Promise<Run | null> {
    const res = await this.pool.query(`SELECT data FROM ${this.schema}.runs WHERE id = $1`, [id]);
    const data = res.rows[0]?.data as string | undefined;
    return data === undefined ? null : RunSchema.parse(JSON.parse(data));
  }

  async listRuns(): Promise<Run[]> {
    const res = await this.pool.query(`SELECT data FROM ${this.schema}.runs ORDER BY started_at, id`);
    return (res.rows as { data: string }[]).map((r) => RunSchema.parse(JSON.parse(r.data)));
  }

  async journal(records: JournalRecord[]): Promise<void> {
    if (records.length === 0) return;
    const rows = records.map((r) => [r.runId, r.seq, r.phase, JSON.stringify(r)]);
    const columns = ["run_id:text", "seq:int", "phase:text", "data:text"].map((c) => {
      const [name, type] = c.split(":") as [string, string];
      return { name, type };
    });
    await inTransaction(this.pool, (c) => upsertRows(c, `${this.schema}.journal`, columns, 3, rows));
  }

  async *readJournal(runId: string): AsyncIterable<JournalRecord> {
    let after: [number, string] = [-1, ""];
    for (;;) {
      const res = await this.pool.query({
        text: `SELECT seq, phase, data FROM ${this.schema}.journal WHERE run_id = $1 AND (seq, phase) > ($2, $3)
               ORDER BY seq, phase LIMIT ${CHUNK}`,
        values: [runId, ...after],
        rowMode: "array",
      });
      const rows = res.rows as [number, string, string][];
      for (const r of rows) yield JSON.parse(r[2]) as JournalRecord;
      if (rows.length < CHUNK) return;
      const last = rows[rows.length - 1] as [number, string, string];
      after = [last[0], last[1]];
    }
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => {});
  }
}
