import { type AttributeTypeDef, type SchemaDef, SYNTAX } from "./types.js";

const ARC = "1.3.6.1.4.1.5923.1.1.1";

function text(
  n: number,
  name: string,
  desc: string,
  extra: Partial<AttributeTypeDef> = {},
): AttributeTypeDef {
  return {
    oid: `${ARC}.${n}`,
    name,
    desc,
    equality: "caseIgnoreMatch",
    substr: "caseIgnoreSubstringsMatch",
    syntax: SYNTAX.directoryString,
    ...extra,
  };
}

function exact(
  n: number,
  name: string,
  desc: string,
  extra: Partial<AttributeTypeDef> = {},
): AttributeTypeDef {
  return text(n, name, desc, { equality: "caseExactMatch", substr: "caseExactSubstringsMatch", ...extra });
}

function dn(n: number, name: string, desc: string, singleValue = false): AttributeTypeDef {
  return {
    oid: `${ARC}.${n}`,
    name,
    desc,
    equality: "distinguishedNameMatch",
    syntax: SYNTAX.dn,
    singleValue,
  };
}

const attributeTypes: AttributeTypeDef[] = [
  text(1, "eduPersonAffiliation", "eduPerson per Internet2 and EDUCAUSE"),
  text(2, "eduPersonNickname", "eduPerson per Internet2 and EDUCAUSE"),
  dn(3, "eduPersonOrgDN", "eduPerson per Internet2 and EDUCAUSE", true),
  dn(4, "eduPersonOrgUnitDN", "eduPerson per Internet2 and EDUCAUSE"),
  text(5, "eduPersonPrimaryAffiliation", "eduPerson per Internet2 and EDUCAUSE", { singleValue: true }),
  text(6, "eduPersonPrincipalName", "eduPerson per Internet2 and EDUCAUSE", { singleValue: true }),
  exact(7, "eduPersonEntitlement", "eduPerson per Internet2 and EDUCAUSE"),
  dn(8, "eduPersonPrimaryOrgUnitDN", "eduPerson per Internet2 and EDUCAUSE", true),
  text(9, "eduPersonScopedAffiliation", "eduPerson per Internet2 and EDUCAUSE"),
  exact(10, "eduPersonTargetedID", "eduPerson per Internet2 and EDUCAUSE (deprecated by REFEDS)"),
  exact(11, "eduPersonAssurance", "eduPerson per Internet2 and EDUCAUSE"),
  text(12, "eduPersonPrincipalNamePrior", "eduPerson per Internet2 and EDUCAUSE"),
  text(13, "eduPersonUniqueId", "eduPerson per Internet2 and EDUCAUSE", { singleValue: true }),
  exact(16, "eduPersonOrcid", "ORCID researcher identifiers belonging to the principal"),
  exact(17, "eduPersonAnalyticsTag", "Opaque identifier for analytics that is not a person identifier"),
  text(18, "eduPersonDisplayPronouns", "Pronouns the person wants displayed"),
];

/** The eduPerson schema (REFEDS eduPerson 202208): attributes 1.3.6.1.4.1.5923.1.1.1.N, auxiliary class eduPerson. */
export const eduPersonSchema: SchemaDef = {
  name: "eduperson",
  title: "eduPerson (REFEDS, version 202208)",
  source: "REFEDS eduPerson specification 202208; OIDs under 1.3.6.1.4.1.5923.1.1",
  attributeTypes,
  objectClasses: [
    {
      oid: "1.3.6.1.4.1.5923.1.1.2",
      name: "eduPerson",
      desc: "eduPerson per Internet2 and EDUCAUSE",
      kind: "AUXILIARY",
      may: attributeTypes.map((a) => a.name),
    },
  ],
};
