import type { Client } from "ldapts";
import { eduPersonSchema } from "./schema/eduperson.js";
import { nlEduPersonSchema, TEST_ARC } from "./schema/nleduperson.js";
import { schacSchema } from "./schema/schac.js";
import type { SchemaDef } from "./schema/types.js";
import type { LdapTarget } from "./target.js";

/** What the directory lacks for a mapping, and how to load it. */
export interface SchemaReport {
  ok: boolean;
  missingAttributes: string[];
  missingObjectClasses: string[];
  /** One line per schema to load, naming the file and the command. */
  hints: string[];
}

const SHIPPED: Array<{ schema: SchemaDef; howto: string }> = [
  {
    schema: eduPersonSchema,
    howto:
      "load the eduPerson schema: ldapadd -Y EXTERNAL -H ldapi:/// -f mappings/ldap-schema/eduperson.ldif",
  },
  {
    schema: schacSchema,
    howto: "load the SCHAC schema: ldapadd -Y EXTERNAL -H ldapi:/// -f mappings/ldap-schema/schac.ldif",
  },
  {
    schema: nlEduPersonSchema(TEST_ARC),
    howto:
      "generate the nlEduPerson schema with your institution's OID arc and load it: overstap ldap-schema --arc 1.3.6.1.4.1.NNNN.x > nleduperson.ldif && ldapadd -Y EXTERNAL -H ldapi:/// -f nleduperson.ldif",
  },
];

/** Every NAME (lower-cased) in a list of RFC 4512 attributeTypes/objectClasses descriptions. */
function definedNames(descriptions: string[]): Set<string> {
  const names = new Set<string>();
  for (const d of descriptions) {
    const m = /\bNAME\s+(?:'([^']+)'|\(\s*([^)]*)\))/.exec(d);
    const list = m?.[1] !== undefined ? [m[1]] : (m?.[2]?.match(/'[^']+'/g) ?? []).map((q) => q.slice(1, -1));
    for (const n of list) names.add(n.toLowerCase());
  }
  return names;
}

function values(entry: Record<string, unknown>, name: string): string[] {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
  const raw = key === undefined ? [] : entry[key];
  return (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === "string");
}

async function subschema(client: Client): Promise<{ attributes: Set<string>; classes: Set<string> }> {
  const root = await client.search("", { scope: "base", attributes: ["subschemaSubentry"] });
  const dn =
    values((root.searchEntries[0] ?? {}) as Record<string, unknown>, "subschemaSubentry")[0] ??
    "cn=Subschema";
  const { searchEntries } = await client.search(dn, {
    scope: "base",
    filter: "(objectClass=subschema)",
    attributes: ["attributeTypes", "objectClasses"],
  });
  const entry = (searchEntries[0] ?? {}) as Record<string, unknown>;
  return {
    attributes: definedNames(values(entry, "attributeTypes")),
    classes: definedNames(values(entry, "objectClasses")),
  };
}

/**
 * Reads the server's subschema and reports which of the given attributes and object classes
 * it does not define, with how to load the schema that defines them (eduPerson, SCHAC,
 * nlEduPerson). `overstap doctor` calls this with what the mapping writes.
 * @example const report = await checkSchema(target, ["eduPersonAffiliation", "eckId"], ["eduPerson"])
 */
export async function checkSchema(
  target: LdapTarget,
  attributes: string[],
  objectClasses: string[] = [],
): Promise<SchemaReport> {
  const have = await target.session.run({ action: "read subschema" }, subschema);
  const missingAttributes = attributes.filter((a) => !have.attributes.has(a.toLowerCase()));
  const missingObjectClasses = objectClasses.filter((o) => !have.classes.has(o.toLowerCase()));
  const hints: string[] = [];
  for (const { schema, howto } of SHIPPED) {
    const names = new Set(
      [...schema.attributeTypes, ...schema.objectClasses].map((d) => d.name.toLowerCase()),
    );
    const wanted = [...missingAttributes, ...missingObjectClasses].filter((n) => names.has(n.toLowerCase()));
    if (wanted.length) hints.push(`${wanted.join(", ")}: ${howto}`);
  }
  const known = new Set(
    SHIPPED.flatMap(({ schema }) =>
      [...schema.attributeTypes, ...schema.objectClasses].map((d) => d.name.toLowerCase()),
    ),
  );
  const unknown = [...missingAttributes, ...missingObjectClasses].filter((n) => !known.has(n.toLowerCase()));
  if (unknown.length)
    hints.push(`${unknown.join(", ")}: not in any schema Overstap ships; load the schema that defines them`);
  return {
    ok: missingAttributes.length + missingObjectClasses.length === 0,
    missingAttributes,
    missingObjectClasses,
    hints,
  };
}
