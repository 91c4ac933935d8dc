import { OverstapError } from "../../../src/errors.js";
import { type AttributeTypeDef, type SchemaDef, SYNTAX } from "./types.js";

/** The documentation arc of RFC 5612 (PEN 32473): what the tests and examples use, never production. */
export const TEST_ARC = "1.3.6.1.4.1.32473.1";

const ATTRIBUTES: Array<[string, string, "ignore" | "exact", boolean]> = [
  [
    "nlEduPersonHomeOrganizationId",
    "BRIN of the school (4 characters, or 6 with the vestiging)",
    "ignore",
    false,
  ],
  ["nlEduPersonHomeOrganizationBranchId", "BRIN plus 2-digit vestiging of the school", "ignore", false],
  ["nlEduPersonHomeOrganization", "Name of the school", "ignore", false],
  ["nlEduPersonRealId", "The unhashed uid, userId@realm", "exact", true],
  ["nlEduPersonProfileId", "ECK profile id, studentnumber@administrationnumber.schooldomain", "exact", false],
  ["nlEduPersonTussenvoegsels", "Dutch surname prefix (van, van der, 't)", "ignore", true],
  ["eckId", "ECK iD, https://ketenid.nl/201703/<128 hex>", "exact", true],
];

/**
 * The nlEduPerson schema for Kennisnet's Entree attributes. No OIDs are published for them,
 * so the arc is the institution's own (a private enterprise number arc): attributes get
 * `ARC.1.N`, the auxiliary class `nlEduPerson` gets `ARC.2.1`.
 * @example nlEduPersonSchema("1.3.6.1.4.1.99999.7")
 */
export function nlEduPersonSchema(arc: string): SchemaDef {
  if (!/^[0-2](\.(0|[1-9][0-9]*))+$/.test(arc)) {
    throw new OverstapError("USAGE", `--arc ${JSON.stringify(arc)} is not a numeric OID`, {
      hint: "Give your institution's own OID arc, e.g. 1.3.6.1.4.1.NNNN.x under its IANA private enterprise number.",
    });
  }
  const attributeTypes: AttributeTypeDef[] = ATTRIBUTES.map(([name, desc, match, singleValue], i) => ({
    oid: `${arc}.1.${i + 1}`,
    name,
    desc,
    equality: match === "exact" ? "caseExactMatch" : "caseIgnoreMatch",
    substr: match === "exact" ? "caseExactSubstringsMatch" : "caseIgnoreSubstringsMatch",
    syntax: SYNTAX.directoryString,
    singleValue,
  }));
  return {
    name: "nleduperson",
    title: "nlEduPerson (Kennisnet Entreefederatie attributes)",
    source: `Attribute names from Kennisnet's Entree documentation; OIDs under the institution's arc ${arc}`,
    attributeTypes,
    objectClasses: [
      {
        oid: `${arc}.2.1`,
        name: "nlEduPerson",
        desc: "Dutch education person (Entreefederatie)",
        kind: "AUXILIARY",
        may: attributeTypes.map((a) => a.name),
      },
    ],
  };
}
