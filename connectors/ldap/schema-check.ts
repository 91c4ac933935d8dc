import { eduPersonSchema } from "./schema/eduperson.js";
import { nlEduPersonSchema, TEST_ARC } from "./schema/nleduperson.js";
import { schacSchema } from "./schema/schac.js";
import type { SchemaDef } from "./schema/types.js";
import { readServerSchema } from "./server-schema.js";
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
  const have = await target.session.run({ action: "read subschema" }, readServerSchema);
  const missingAttributes = attributes.filter((a) => !have.attributeNames.has(a.toLowerCase()));
  const missingObjectClasses = objectClasses.filter((o) => !have.classNames.has(o.toLowerCase()));
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
