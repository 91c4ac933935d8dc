import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { OverstapError } from "../errors.js";

/**
 * A reference to a secret: an environment variable or a file. Plain-text secrets in the
 * configuration are refused, so a config file can be shared and committed safely.
 */
export const SecretRefSchema = z.union([
  z.strictObject({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name") }),
  z.strictObject({ file: z.string().min(1) }),
]);
export type SecretRef = z.infer<typeof SecretRefSchema>;

/**
 * Resolves a secret reference. Trailing newlines of secret files are dropped. The error
 * names the variable or file, never the value.
 */
export async function resolveSecret(ref: SecretRef, where: string, baseDir = process.cwd()): Promise<string> {
  if ("env" in ref) {
    const value = process.env[ref.env];
    if (value === undefined || value === "") {
      throw new OverstapError("SECRET_MISSING", `${where}: environment variable ${ref.env} is not set`, {
        hint: `Export ${ref.env} before running overstap, or point ${where} at a file with { file: PATH }.`,
      });
    }
    return value;
  }
  const file = path.resolve(baseDir, ref.file);
  try {
    return (await readFile(file, "utf8")).replace(/\r?\n$/, "");
  } catch (err) {
    throw new OverstapError("SECRET_MISSING", `${where}: cannot read secret file ${file}`, {
      cause: err,
      hint: "Check the path and that the file is readable by the user running overstap.",
    });
  }
}
