import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseLocatedYaml, parseWithSchema } from "../config/located-yaml.js";
import { OverstapError } from "../errors.js";
import { type AttributeInfo, DictionaryFileSchema } from "./profile-schema.js";

let profilesDir: string | undefined;

/**
 * The folder of the bundled profiles (`mappings/profiles`), found from this module both when
 * run from source (`src/mapping`) and when built (`dist/src/mapping`).
 */
export function bundledProfilesDir(): string {
  if (profilesDir) return profilesDir;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, "mappings", "profiles");
    if (existsSync(join(candidate, "attributes.yaml"))) {
      profilesDir = candidate;
      return candidate;
    }
    dir = dirname(dir);
  }
  throw new OverstapError(
    "INTERNAL",
    "the bundled profiles (mappings/profiles/attributes.yaml) are missing",
    {
      hint: "Reinstall Overstap; the package must include its mappings folder.",
    },
  );
}

interface Dictionary {
  byName: Map<string, AttributeInfo>;
  byAlias: Map<string, AttributeInfo>;
}

let dictionary: Dictionary | undefined;

function loadDictionary(): Dictionary {
  if (dictionary) return dictionary;
  const file = join(bundledProfilesDir(), "attributes.yaml");
  const located = parseLocatedYaml(readFileSync(file, "utf8"), file, "MAPPING_INVALID");
  const parsed = parseWithSchema(located, DictionaryFileSchema, located.value, [], "MAPPING_INVALID");
  const byName = new Map<string, AttributeInfo>();
  const byAlias = new Map<string, AttributeInfo>();
  for (const [name, entry] of Object.entries(parsed.attributes)) {
    const info: AttributeInfo = { name, ...entry };
    byName.set(name.toLowerCase(), info);
    byAlias.set(entry.saml.toLowerCase(), info);
    if (entry.oid) {
      byAlias.set(entry.oid, info);
      byAlias.set(`urn:oid:${entry.oid}`, info);
    }
    if (entry.oidc) byAlias.set(entry.oidc.toLowerCase(), info);
  }
  dictionary = { byName, byAlias };
  return dictionary;
}

/**
 * Looks an attribute up in the shared dictionary by friendly name (case-insensitive), SAML
 * name, OID (`2.5.4.42` or `urn:oid:2.5.4.42`) or OIDC claim name.
 * Example: `attributeInfo("given_name")` → `{ name: "givenName", saml:
 * "urn:mace:dir:attribute-def:givenName", oid: "2.5.4.42", oidc: "given_name" }`.
 */
export function attributeInfo(name: string): AttributeInfo | undefined {
  const dict = loadDictionary();
  const key = name.toLowerCase();
  return dict.byName.get(key) ?? dict.byAlias.get(key);
}

/** Every attribute of the shared dictionary, in file order. */
export function dictionaryAttributes(): AttributeInfo[] {
  return [...loadDictionary().byName.values()];
}
