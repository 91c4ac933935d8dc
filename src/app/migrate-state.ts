import pg from "pg";
import { loadConfig } from "../config/load.js";
import { OverstapError } from "../errors.js";
import { migrate, SCHEMA_VERSION, schemaVersion } from "../state/pg-migrations.js";
import { pgError } from "../state/pg-sql.js";
import { postgresTargetOf } from "./state-store.js";

/** What `overstap state migrate` did: the schema, where, the versions applied and the version now. */
export interface MigrateResult {
  schema: string;
  where: string;
  applied: number[];
  version: number;
}

/**
 * Applies the PostgreSQL schema migrations of the project's state (`state.postgres`), creating
 * the institution's schema when it is missing. A project on SQLite needs none: a USAGE error.
 * @example const { applied } = await migrateState("overstap.yaml");
 */
export async function migrateState(configFile: string): Promise<MigrateResult> {
  const loaded = await loadConfig(configFile);
  const target = await postgresTargetOf(loaded);
  if (!target) {
    throw new OverstapError("USAGE", "this project keeps its state in SQLite; there is nothing to migrate", {
      hint: "The SQLite store sets itself up. `state.postgres` in the configuration selects PostgreSQL.",
    });
  }
  const pool = new pg.Pool({ ...target.client, max: 1 });
  try {
    const applied = await migrate(pool, target.schema);
    return {
      schema: target.schema,
      where: target.where,
      applied,
      version: await schemaVersion(pool, target.schema),
    };
  } catch (err) {
    throw pgError(err, target.where);
  } finally {
    await pool.end();
  }
}

/** The schema version of the project's PostgreSQL state and the one this Overstap needs. */
export async function stateVersion(
  target: NonNullable<Awaited<ReturnType<typeof postgresTargetOf>>>,
): Promise<{ version: number; needed: number }> {
  const pool = new pg.Pool({ ...target.client, max: 1 });
  try {
    return { version: await schemaVersion(pool, target.schema), needed: SCHEMA_VERSION };
  } catch (err) {
    throw pgError(err, target.where);
  } finally {
    await pool.end();
  }
}
