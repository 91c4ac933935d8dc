import { writeFileSync } from "node:fs";
import path from "node:path";
import { demoFiles } from "../../src/demo/data.js";
import { anchorFor } from "../../src/plan/keys.js";

/**
 * Writes the demo board's files into `dir` with the state in PostgreSQL ($OVERSTAP_PG_URL),
 * schema `schema`; returns the configuration file.
 * @example const config = writePostgresProject(dir, "school_a");
 */
export function writePostgresProject(dir: string, schema: string): string {
  const files = demoFiles((ref) => anchorFor(ref, "voorbeeld.nl"));
  files["overstap.yaml"] = files["overstap.yaml"].replace(
    "state: { sqlite: .overstap/state.db }",
    `state: { postgres: { url: { env: OVERSTAP_PG_URL }, schema: ${schema} } }`,
  );
  for (const [name, text] of Object.entries(files))
    writeFileSync(path.join(dir, name), text, { mode: 0o600 });
  return path.join(dir, "overstap.yaml");
}
