import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ClientConfig } from "pg";
import { resolveSecret } from "../config/secret.js";
import type { PostgresConfig } from "../config/state.js";
import { OverstapError } from "../errors.js";

/** A PostgreSQL URL with its password replaced by `***`, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(a PostgreSQL URL that does not parse)";
  }
}

/** Where the connection goes, without any secret: `host:port/database`. */
export function describeTarget(client: ClientConfig): string {
  if (client.connectionString) return redactUrl(client.connectionString);
  return `${client.host ?? "localhost"}:${client.port ?? 5432}/${client.database ?? ""}`;
}

/**
 * The `pg` client configuration of `config`: secrets resolved, the CA file read (relative to
 * `baseDir`), TCP keep-alive on against half-open links.
 */
export async function clientConfig(config: PostgresConfig, baseDir: string): Promise<ClientConfig> {
  const out: ClientConfig = { keepAlive: true, application_name: "overstap" };
  if (config.url) out.connectionString = await resolveSecret(config.url, "state.postgres.url", baseDir);
  else {
    out.host = config.host;
    if (config.port !== undefined) out.port = config.port;
    if (config.database !== undefined) out.database = config.database;
    if (config.user !== undefined) out.user = config.user;
    if (config.password)
      out.password = await resolveSecret(config.password, "state.postgres.password", baseDir);
  }
  if (config.ssl) out.ssl = await sslOptions(config.ssl, baseDir);
  return out;
}

async function sslOptions(
  ssl: NonNullable<PostgresConfig["ssl"]>,
  baseDir: string,
): Promise<NonNullable<ClientConfig["ssl"]>> {
  if (ssl.ca === undefined) return { rejectUnauthorized: ssl.rejectUnauthorized };
  const file = path.resolve(baseDir, ssl.ca);
  try {
    return { ca: await readFile(file, "utf8"), rejectUnauthorized: ssl.rejectUnauthorized };
  } catch (err) {
    throw new OverstapError("CONFIG_INVALID", `state.postgres.ssl.ca: cannot read ${file}`, { cause: err });
  }
}
