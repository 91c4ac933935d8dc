import type { Pool, PoolClient } from "pg";
import { OverstapError } from "../errors.js";

/** Rows per statement of a bulk write or a page of a read. */
export const CHUNK = 5000;

/**
 * Runs `fn` in one transaction on a client of `pool`: committed when it returns, rolled back
 * when it throws.
 */
export async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const out = await fn(client);
    await client.query("COMMIT");
    return out;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Upserts `rows` (columns in the order of `columns`, the key columns first) into `table` with
 * one multi-row statement per {@link CHUNK}: the columns go as arrays through `unnest`. A key
 * that occurs twice keeps its last row.
 */
export async function upsertRows(
  client: PoolClient,
  table: string,
  columns: { name: string; type: string }[],
  keyCount: number,
  rows: unknown[][],
): Promise<void> {
  const unique = lastPerKey(rows, keyCount);
  const names = columns.map((c) => c.name);
  const keys = names.slice(0, keyCount).join(", ");
  const rest = names.slice(keyCount);
  const update = rest.length
    ? `DO UPDATE SET ${rest.map((n) => `${n} = EXCLUDED.${n}`).join(", ")}`
    : "DO NOTHING";
  const arrays = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(", ");
  const sql = `INSERT INTO ${table} (${names.join(", ")}) SELECT * FROM unnest(${arrays}) ON CONFLICT (${keys}) ${update}`;
  for (let i = 0; i < unique.length; i += CHUNK) {
    const chunk = unique.slice(i, i + CHUNK);
    await client.query(
      sql,
      columns.map((_, c) => chunk.map((row) => row[c])),
    );
  }
}

function lastPerKey(rows: unknown[][], keyCount: number): unknown[][] {
  const byKey = new Map<string, unknown[]>();
  for (const row of rows) byKey.set(JSON.stringify(row.slice(0, keyCount)), row);
  return byKey.size === rows.length ? rows : [...byKey.values()];
}

/**
 * An error of the PostgreSQL state store as an {@link OverstapError}: an unreachable server is
 * STATE_UNREACHABLE, anything else STATE_INVALID; `where` names the server, never a password.
 */
export function pgError(err: unknown, where: string): unknown {
  if (err instanceof OverstapError) return err;
  const code = (err as { code?: string }).code ?? "";
  const message = (err as Error).message ?? String(err);
  if (/^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EHOSTUNREACH)$/.test(code) || code.startsWith("08")) {
    return new OverstapError(
      "STATE_UNREACHABLE",
      `cannot reach the PostgreSQL state store on ${where}: ${message}`,
      {
        cause: err,
        hint: "Check state.postgres in the configuration and that the server runs; `overstap doctor` checks it.",
      },
    );
  }
  if (code === "28P01" || code === "28000") {
    return new OverstapError("STATE_INVALID", `the PostgreSQL state store on ${where} refused the login`, {
      cause: err,
      hint: "Check the user and password secret in state.postgres.",
    });
  }
  return new OverstapError("STATE_INVALID", `PostgreSQL state store on ${where}: ${message}`, { cause: err });
}
