import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { parseLocatedYaml, parseWithSchema } from "../config/located-yaml.js";
import { resolveSecret, SecretRefSchema } from "../config/secret.js";
import { OverstapError } from "../errors.js";

/** Polling of `retrieveBatch`: first wait, growth factor, longest wait, and when to give up. */
export const BatchPollSchema = z.strictObject({
  initialDelayMs: z.number().int().min(0).default(2000),
  factor: z.number().min(1).default(2),
  maxDelayMs: z.number().int().min(1).default(30_000),
  timeoutMs: z
    .number()
    .int()
    .min(1)
    .default(15 * 60_000),
});
export type BatchPoll = z.infer<typeof BatchPollSchema>;

/**
 * The `eckid` section of overstap.yaml: where the Nummervoorziening is, who the school is
 * (OIN), which chain and sector, the PKIoverheid client certificate and key (files), and the
 * salt of the HPGN (a secret reference).
 */
export const NummervoorzieningConfigSchema = z.strictObject({
  endpoint: z.url({ protocol: /^https$/, error: "an https:// URL" }),
  oin: z.string().regex(/^[0-9]{20}$/, "the school's OIN: 20 digits"),
  chainId: z.string().min(1),
  sectorId: z.string().min(1),
  tls: z.strictObject({
    cert: z.string().min(1),
    key: z.string().min(1),
    ca: z.string().min(1).optional(),
    passphrase: SecretRefSchema.optional(),
  }),
  salt: SecretRefSchema,
  timeoutMs: z.number().int().positive().default(60_000),
  batchSize: z.number().int().min(1).max(10_000).default(500),
  poll: BatchPollSchema.default(BatchPollSchema.parse({})),
});
export type NummervoorzieningConfig = z.infer<typeof NummervoorzieningConfigSchema>;

const PERSON_TEXT_FIELDS = ["login", "mail", "number", "displayName"] as const;

/**
 * Where the plan step finds the PGNs: a column of a CSV source's file, read into memory at
 * plan time only (never pulled into the state store), and what kind of PGN it holds.
 */
export const PgnColumnSchema = z.strictObject({
  source: z.string().min(1),
  column: z.string().min(1),
  kind: z.enum(["bsn", "onderwijsnummer", "staff", "auto"]).default("auto"),
  /** The staff input form as a regular expression (case-insensitive); default BRIN, space, e-mail. */
  staffForm: z
    .string()
    .min(1)
    .refine(
      (v) => {
        try {
          new RegExp(v, "i");
          return true;
        } catch {
          return false;
        }
      },
      { error: "a regular expression" },
    )
    .optional(),
});
export type PgnColumn = z.infer<typeof PgnColumnSchema>;

/**
 * The whole `eckid` section of overstap.yaml: the Nummervoorziening, plus what the plan step
 * uses: `pgn` (the PGN column), `carryOver` (the Person field or `ext.<key>` that may already
 * hold an ECK iD) and `hashing` (threads and memory of the HPGN pool).
 */
export const EckidConfigSchema = NummervoorzieningConfigSchema.extend({
  pgn: PgnColumnSchema.optional(),
  carryOver: z
    .union([
      z.enum(PERSON_TEXT_FIELDS),
      z.string().regex(/^ext\.[^\s]+$/, "ext.<key> or a Person field (login, mail, number, displayName)"),
    ])
    .optional(),
  hashing: z
    .strictObject({
      concurrency: z.number().int().min(1).optional(),
      memoryLimitMiB: z.number().int().min(140).optional(),
    })
    .optional(),
});
export type EckidConfig = z.infer<typeof EckidConfigSchema>;

/** PEM material of the mutual-TLS connection. */
export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
  ca?: Buffer;
  passphrase?: string;
}

async function readPem(file: string, key: string, baseDir: string): Promise<Buffer> {
  const full = path.resolve(baseDir, file);
  try {
    return await readFile(full);
  } catch (err) {
    throw new OverstapError("CONFIG_INVALID", `eckid.tls.${key}: cannot read ${full}`, {
      cause: err,
      hint: "Point it at a readable PEM file (the PKIoverheid certificate, its private key, or the CA bundle).",
    });
  }
}

/**
 * Reads the certificate, key and CA files named in the configuration (relative to `baseDir`)
 * and resolves the key's passphrase.
 */
export async function loadTlsMaterial(
  tls: NummervoorzieningConfig["tls"],
  baseDir: string,
): Promise<TlsMaterial> {
  const material: TlsMaterial = {
    cert: await readPem(tls.cert, "cert", baseDir),
    key: await readPem(tls.key, "key", baseDir),
  };
  if (tls.ca !== undefined) material.ca = await readPem(tls.ca, "ca", baseDir);
  if (tls.passphrase !== undefined)
    material.passphrase = await resolveSecret(tls.passphrase, "eckid.tls.passphrase", baseDir);
  return material;
}

/**
 * Reads the `eckid` section of a YAML configuration file (overstap.yaml by default) with
 * line-accurate errors. Relative paths in it resolve against the file's directory.
 *
 * @example
 * const { config, baseDir } = await loadEckidConfig("overstap.yaml");
 */
export async function loadEckidConfig(file: string): Promise<{ config: EckidConfig; baseDir: string }> {
  const full = path.resolve(file);
  let text: string;
  try {
    text = await readFile(full, "utf8");
  } catch (err) {
    throw new OverstapError("CONFIG_NOT_FOUND", `cannot read the configuration ${full}`, {
      cause: err,
      hint: "Pass --config FILE with an `eckid:` section (endpoint, oin, chainId, sectorId, tls, salt).",
    });
  }
  const located = parseLocatedYaml(text, full, "CONFIG_INVALID");
  const section = (located.value as Record<string, unknown> | null)?.eckid;
  if (section === undefined) {
    throw new OverstapError("CONFIG_INVALID", `${full}: there is no eckid section`, {
      hint: "Add `eckid:` with endpoint, oin, chainId, sectorId, tls { cert, key, ca } and salt { env | file }.",
    });
  }
  const config = parseWithSchema(located, EckidConfigSchema, section, ["eckid"], "CONFIG_INVALID");
  return { config, baseDir: path.dirname(full) };
}
