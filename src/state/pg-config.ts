import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ClientConfig } from "pg";
import { z } from "zod";
import { resolveSecret, SecretRefSchema } from "../config/secret.js";
import { OverstapError } from "../errors.js";

/** A PostgreSQL identifier Overstap creates unquoted: lower case, digits and `_`, at most 63 bytes. */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * `state.postgres`: where the team's PostgreSQL is, either as a URL (a secret reference, since a
 * URL may carry a password) or as host, port, database, user and a password secret; optional TLS
 * with a CA file; and the schema this institution's state lives in (default derived from the
 * institution's name, see {@link defaultSchemaName}).
 */
export const PostgresConfigSchema = z
  .strictObject({
    url: SecretRefSchema.optional(),
    host: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65_535).optional(),
    database: z.string().min(1).optional(),
    user: z.string().min(1).optional(),
    password: SecretRefSchema.optional(),
    ssl: z
      .strictObject({
        ca: z.string().min(1).optional(),
        rejectUnauthorized: z.boolean().default(true),
      })
      .optional(),
    schema: z.string().regex(IDENTIFIER, "lower-case letters, digits and '_', at most 63").optional(),
  })
  .refine((c) => c.url !== undefined || c.host !== undefined, {
    message: "give url (a secret reference) or host",
  })
  .refine((c) => !(c.url !== undefined && (c.host !== undefined || c.password !== undefined)), {
    message: "give either url or host/password, not both",
  });
export type PostgresConfig = z.infer<typeof PostgresConfigSchema>;

/**
 * The schema an institution's state lives in when `state.postgres.schema` is not given:
 * `overstap_` and the institution's name in lower case with every other character as `_`.
 * @example defaultSchemaName("Het Baken College") // "overstap_het_baken_college"
 */
export function defaultSchemaName(institution: string): string {
  const slug = institution
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return `overstap_${slug}`.slice(0, 63);
}

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
