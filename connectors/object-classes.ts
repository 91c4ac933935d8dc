import type { ObjectType } from "../src/model/target-entry.js";

/** Lower-cased person and group object class names of an LDAP-style target. */
export interface ClassSets {
  persons: ReadonlySet<string>;
  groups: ReadonlySet<string>;
}

/** {@link ClassSets} of configured class names (compared case-insensitively). */
export function classSets(personClasses: readonly string[], groupClasses: readonly string[]): ClassSets {
  return {
    persons: new Set(personClasses.map((c) => c.toLowerCase())),
    groups: new Set(groupClasses.map((c) => c.toLowerCase())),
  };
}

/**
 * The one classification rule of the LDAP-style targets (LDAP and LDIF): an entry with a
 * person class is a person, even when it also has a group class (a user-private group on a
 * person entry); else one with a group class is a group; any other entry is a container (null).
 *
 * @example
 * typeByClasses(["inetOrgPerson", "posixGroup"], classSets(["inetOrgPerson"], ["posixGroup"])) // "person"
 */
export function typeByClasses(classes: readonly string[], sets: ClassSets): ObjectType | null {
  const lower = classes.map((c) => c.toLowerCase());
  if (lower.some((c) => sets.persons.has(c))) return "person";
  if (lower.some((c) => sets.groups.has(c))) return "group";
  return null;
}
