/**
 * Writes the shipped schema files from their definitions in connectors/ldap/schema:
 * mappings/ldap-schema/{eduperson,schac}.{ldif,schema} and the nlEduPerson schema with the
 * documentation arc that the test server loads (scripts/slapd/nleduperson-test.ldif).
 * Run: node --import tsx scripts/slapd/generate-schemas.ts
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  eduPersonSchema,
  nlEduPersonSchema,
  renderLdif,
  renderSchemaFile,
  schacSchema,
  TEST_ARC,
} from "../../connectors/ldap/schema/index.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The files this script writes, path relative to the repository root → content. */
export function schemaFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const s of [eduPersonSchema, schacSchema]) {
    files[`mappings/ldap-schema/${s.name}.ldif`] = renderLdif(s);
    files[`mappings/ldap-schema/${s.name}.schema`] = renderSchemaFile(s);
  }
  files["scripts/slapd/nleduperson-test.ldif"] = renderLdif(nlEduPersonSchema(TEST_ARC));
  return files;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [file, content] of Object.entries(schemaFiles())) writeFileSync(path.join(root, file), content);
}
