import type { Pool, PoolClient } from "pg";
import { OverstapError } from "../errors.js";

/** One step of the PostgreSQL schema: its version, a name, and its SQL (`$S` stands for the schema). */
interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The schema's history, oldest first. Never change a released step; add one. Keys are `COLLATE
 * "C"` so that rows come in the byte order the memory and SQLite stores use.
 */
const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: "snapshots, values, runs and the journal",
    sql: `
CREATE TABLE $S.sources (source text COLLATE "C" PRIMARY KEY, checkpoint text,
  complete boolean NOT NULL DEFAULT false, pulled_at text, generation bigint NOT NULL DEFAULT 0);
CREATE TABLE $S.persons (source text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL,
  data text NOT NULL, PRIMARY KEY (source, id));
CREATE TABLE $S.groups (source text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL,
  data text NOT NULL, PRIMARY KEY (source, id));
CREATE TABLE $S.invalid (source text COLLATE "C" NOT NULL, seq integer NOT NULL, record text NOT NULL,
  id text, field text, reason text NOT NULL, PRIMARY KEY (source, seq));
CREATE TABLE $S.kv (ns text COLLATE "C" NOT NULL, key text COLLATE "C" NOT NULL, value text NOT NULL,
  PRIMARY KEY (ns, key));
CREATE TABLE $S.runs (id text COLLATE "C" PRIMARY KEY, started_at text COLLATE "C" NOT NULL, data text NOT NULL);
CREATE TABLE $S.journal (run_id text COLLATE "C" NOT NULL, seq integer NOT NULL,
  phase text COLLATE "C" NOT NULL, data text NOT NULL, PRIMARY KEY (run_id, seq, phase));
`,
  },
  {
    version: 2,
    name: "who holds each target's apply lock",
    sql: `CREATE TABLE $S.target_locks (target text COLLATE "C" PRIMARY KEY, holder text NOT NULL);`,
  },
];

/** The schema version this Overstap reads and writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** The table that records the applied migrations, in the institution's schema. */
const MIGRATIONS_TABLE = "overstap_migrations";

/**
 * The schema version `schema` is at: 0 when it (or its migrations table) does not exist yet.
 * @example await schemaVersion(pool, "overstap_baken") // 1
 */
export async function schemaVersion(pool: Pool | PoolClient, schema: string): Promise<number> {
  const exists = await pool.query("SELECT to_regclass($1) IS NOT NULL AS ok", [
    `${schema}.${MIGRATIONS_TABLE}`,
  ]);
  if (!exists.rows[0]?.ok) return 0;
  const res = await pool.query(`SELECT coalesce(max(version), 0) AS v FROM ${schema}.${MIGRATIONS_TABLE}`);
  return Number(res.rows[0]?.v ?? 0);
}

/**
 * Brings `schema` up to {@link SCHEMA_VERSION}, creating it when missing, each step in one
 * transaction under a transaction-level advisory lock (two processes migrating at once wait for
 * each other). Returns the versions it applied.
 */
export async function migrate(pool: Pool, schema: string): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
      `overstap-migrate:${schema}`,
    ]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.${MIGRATIONS_TABLE} (version integer PRIMARY KEY,
         name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const from = await schemaVersion(client, schema);
    assertNotNewer(from, schema);
    const applied: number[] = [];
    for (const m of MIGRATIONS.filter((step) => step.version > from)) {
      await client.query(m.sql.replaceAll("$S", schema));
      await client.query(`INSERT INTO ${schema}.${MIGRATIONS_TABLE} (version, name) VALUES ($1, $2)`, [
        m.version,
        m.name,
      ]);
      applied.push(m.version);
    }
    await client.query("COMMIT");
    return applied;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** Refuses a schema that is behind (run `overstap state migrate`) or ahead of this Overstap. */
export async function assertCurrent(pool: Pool, schema: string, where: string): Promise<void> {
  const version = await schemaVersion(pool, schema);
  assertNotNewer(version, schema);
  if (version < SCHEMA_VERSION) {
    throw new OverstapError(
      "STATE_INVALID",
      `the PostgreSQL state schema ${schema} on ${where} is at version ${version}; this overstap needs version ${SCHEMA_VERSION}`,
      { hint: "Run `overstap state migrate` (with the same configuration) to bring it up to date." },
    );
  }
}

function assertNotNewer(version: number, schema: string): void {
  if (version > SCHEMA_VERSION) {
    throw new OverstapError(
      "STATE_INVALID",
      `the PostgreSQL state schema ${schema} is at version ${version}, newer than this overstap knows (${SCHEMA_VERSION})`,
      { hint: "Upgrade overstap on this machine to the version the team uses." },
    );
  }
}
