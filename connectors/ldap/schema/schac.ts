import { type AttributeTypeDef, type SchemaDef, SYNTAX } from "./types.js";

const ATTR = "1.3.6.1.4.1.25178.1.2";
const CLASS = "1.3.6.1.4.1.25178.1.1";

function text(n: number, name: string, desc: string, singleValue = false): AttributeTypeDef {
  return {
    oid: `${ATTR}.${n}`,
    name,
    desc,
    equality: "caseIgnoreMatch",
    substr: "caseIgnoreSubstringsMatch",
    syntax: SYNTAX.directoryString,
    singleValue,
  };
}

const attributeTypes: AttributeTypeDef[] = [
  text(1, "schacMotherTongue", "RFC 3066 code for the preferred language"),
  {
    ...text(2, "schacGender", "ISO 5218 code for the gender", true),
    equality: "integerMatch",
    substr: undefined,
    syntax: SYNTAX.integer,
  },
  {
    ...text(3, "schacDateOfBirth", "Date of birth, YYYYMMDD", true),
    equality: "numericStringMatch",
    ordering: "numericStringOrderingMatch",
    substr: "numericStringSubstringsMatch",
    syntax: SYNTAX.numericString,
  },
  text(4, "schacPlaceOfBirth", "Place of birth", true),
  text(5, "schacCountryOfCitizenship", "ISO 3166 two-letter code of a country of citizenship"),
  text(6, "schacSn1", "First surname of a person"),
  text(7, "schacSn2", "Second surname of a person"),
  text(8, "schacPersonalTitle", "Title used to address the person", true),
  text(9, "schacHomeOrganization", "Domain name of the person's home organization", true),
  text(10, "schacHomeOrganizationType", "URN of the type of the home organization"),
  text(11, "schacCountryOfResidence", "ISO 3166 two-letter code of the country of residence"),
  text(12, "schacUserPresenceID", "URI of a way to reach the person"),
  text(13, "schacPersonalPosition", "URN of the person's position in the organization"),
  text(14, "schacPersonalUniqueCode", "URN of a unique code (e.g. student number) for the person"),
  text(15, "schacPersonalUniqueID", "URN of a unique personal identifier (e.g. national id)"),
  {
    ...text(17, "schacExpiryDate", "Date from which the entry may be deleted", true),
    equality: "generalizedTimeMatch",
    ordering: "generalizedTimeOrderingMatch",
    substr: undefined,
    syntax: SYNTAX.generalizedTime,
  },
  text(18, "schacUserPrivateAttribute", "Names of attributes the person wants kept private"),
  text(19, "schacUserStatus", "URN of the status of the person's account"),
  text(20, "schacProjectMembership", "Name of a project the person is a member of"),
  text(21, "schacProjectSpecificRole", "URN of a role in a project"),
];

const names = (...ns: number[]) =>
  ns.map((n) => attributeTypes.find((a) => a.oid === `${ATTR}.${n}`)?.name as string);

/** The SCHAC schema (TERENA/GEANT SCHAC 1.5): attributes 1.3.6.1.4.1.25178.1.2.N, classes 1.3.6.1.4.1.25178.1.1.N. */
export const schacSchema: SchemaDef = {
  name: "schac",
  title: "SCHAC (SCHema for ACademia), version 1.5",
  source: "SCHAC specification (REFEDS/GEANT); OIDs under 1.3.6.1.4.1.25178.1",
  attributeTypes,
  objectClasses: [
    {
      oid: `${CLASS}.1`,
      name: "schacPersonalCharacteristics",
      desc: "Personal characteristics describing a person",
      kind: "AUXILIARY",
      may: names(1, 2, 3, 4, 5, 6, 7, 8),
    },
    {
      oid: `${CLASS}.2`,
      name: "schacContactLocation",
      desc: "Where and how to reach a person",
      kind: "AUXILIARY",
      may: names(9, 10, 11, 12),
    },
    {
      oid: `${CLASS}.3`,
      name: "schacEmployeeInfo",
      desc: "Employee information",
      kind: "AUXILIARY",
      may: names(13, 14),
    },
    {
      oid: `${CLASS}.4`,
      name: "schacLinkageIdentifiers",
      desc: "Identifiers linking the person to other records",
      kind: "AUXILIARY",
      may: names(15),
    },
    {
      oid: `${CLASS}.5`,
      name: "schacEntryMetadata",
      desc: "Metadata about the entry",
      kind: "AUXILIARY",
      may: names(17),
    },
    {
      oid: `${CLASS}.6`,
      name: "schacEntryConfidentiality",
      desc: "Confidentiality wishes of the person",
      kind: "AUXILIARY",
      may: names(18),
    },
    {
      oid: `${CLASS}.7`,
      name: "schacUserEntitlements",
      desc: "Status of the person's account",
      kind: "AUXILIARY",
      may: names(19),
    },
    {
      oid: `${CLASS}.8`,
      name: "schacGroupMembership",
      desc: "Project memberships and roles",
      kind: "AUXILIARY",
      may: names(20, 21),
    },
  ],
};
