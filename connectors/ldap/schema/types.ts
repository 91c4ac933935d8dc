/** One LDAP attribute type definition (RFC 4512 `AttributeTypeDescription`, the parts used here). */
export interface AttributeTypeDef {
  oid: string;
  name: string;
  desc: string;
  equality: string;
  substr?: string;
  ordering?: string;
  syntax: string;
  singleValue?: boolean;
}

/** One LDAP object class definition (RFC 4512 `ObjectClassDescription`). */
export interface ObjectClassDef {
  oid: string;
  name: string;
  desc: string;
  kind: "AUXILIARY" | "STRUCTURAL" | "ABSTRACT";
  sup?: string;
  must?: string[];
  may?: string[];
}

/** A named schema: what OpenLDAP loads as one `cn=NAME,cn=schema,cn=config` entry. */
export interface SchemaDef {
  name: string;
  title: string;
  source: string;
  attributeTypes: AttributeTypeDef[];
  objectClasses: ObjectClassDef[];
}

/** RFC 4517 syntax OIDs used by the shipped schemas. */
export const SYNTAX = {
  directoryString: "1.3.6.1.4.1.1466.115.121.1.15",
  dn: "1.3.6.1.4.1.1466.115.121.1.12",
  generalizedTime: "1.3.6.1.4.1.1466.115.121.1.24",
  ia5String: "1.3.6.1.4.1.1466.115.121.1.26",
  integer: "1.3.6.1.4.1.1466.115.121.1.27",
  numericString: "1.3.6.1.4.1.1466.115.121.1.36",
} as const;
