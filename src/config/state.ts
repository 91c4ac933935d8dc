import { z } from "zod";
import { SecretRefSchema } from "./secret.js";

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

/**
 * `state:` where the project keeps its state: a SQLite file (the default,
 * `.overstap/state.db`) or a PostgreSQL schema (`postgres:`, team mode), and the folder plans
 * are saved in when no `--out` is given (default: `plans` beside the SQLite file, or
 * `.overstap/plans` with PostgreSQL).
 */
export const StateConfigSchema = z
  .strictObject({
    sqlite: z.string().min(1).optional(),
    postgres: PostgresConfigSchema.optional(),
    plans: z.string().min(1).optional(),
  })
  .refine((s) => !(s.sqlite !== undefined && s.postgres !== undefined), {
    message: "give sqlite or postgres, not both",
  });
export type StateConfig = z.infer<typeof StateConfigSchema>;

/** The SQLite file of a state section without `postgres:` (relative to the configuration). */
export function sqliteFile(state: StateConfig): string {
  return state.sqlite ?? ".overstap/state.db";
}
