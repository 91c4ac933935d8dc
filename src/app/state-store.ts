import { existsSync } from "node:fs";
import path from "node:path";
import type { LoadedConfig } from "../config/load.js";
import { defaultSchemaName, sqliteFile } from "../config/state.js";
import { isOverstapError } from "../errors.js";
import { NO_LOCKS, type TargetLocks } from "../execute/target-lock.js";
import { openMemoryStore } from "../state/memory.js";
import { clientConfig, describeTarget } from "../state/pg-config.js";
import { postgresLocks } from "../state/pg-lock.js";
import { openPostgresStore, type PostgresTarget } from "../state/postgres.js";
import { openSqliteStore } from "../state/sqlite.js";
import type { StateStore } from "../state/store.js";

/**
 * Where the project's PostgreSQL state is (`state.postgres`), secrets resolved; undefined for
 * a project on SQLite. The schema is `state.postgres.schema`, else one derived from the
 * institution's name, so one database serves many institutions.
 * @example const target = await postgresTargetOf(loaded); // { schema: "overstap_het_baken", … }
 */
export async function postgresTargetOf(loaded: LoadedConfig): Promise<PostgresTarget | undefined> {
  const config = loaded.config.state.postgres;
  if (!config) return undefined;
  const client = await clientConfig(config, loaded.baseDir);
  return {
    client,
    schema: config.schema ?? defaultSchemaName(loaded.config.institution.name),
    where: describeTarget(client),
  };
}

/** A project's state store and the target locks that go with it. */
export interface OpenedState {
  store: StateStore;
  locks: TargetLocks;
}

/**
 * Opens the project's state store: PostgreSQL when `state.postgres` is set, else the SQLite
 * file. With `inspect` nothing is created: a SQLite file that does not exist yet, or a
 * PostgreSQL schema that cannot be used as it is, is stood in for by an empty store in memory
 * (`overstap doctor` reports why). PostgreSQL brings target locks held on the server; SQLite has
 * none (its guard is the run records).
 */
export async function openStateStore(loaded: LoadedConfig, inspect: boolean): Promise<OpenedState> {
  const target = await postgresTargetOf(loaded);
  if (target) {
    try {
      const store = await openPostgresStore(target);
      return { store, locks: postgresLocks(target.client, target.schema, target.where) };
    } catch (err) {
      if (inspect && (isOverstapError(err, "STATE_INVALID") || isOverstapError(err, "STATE_UNREACHABLE")))
        return { store: openMemoryStore(), locks: NO_LOCKS };
      throw err;
    }
  }
  const file = path.resolve(loaded.baseDir, sqliteFile(loaded.config.state));
  return { store: openSqliteStore(inspect && !existsSync(file) ? ":memory:" : file), locks: NO_LOCKS };
}
