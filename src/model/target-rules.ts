import type { AttrChange } from "./operation.js";

/**
 * What a target means by its entries, which the planner asks instead of assuming: how it
 * writes a disable and an enable, how it reads whether an entry is disabled and due for
 * deletion, and its key syntax. LDAP-style targets use {@link directoryRules}; a SCIM target
 * would write `active: false`.
 */
export interface TargetRules {
  /** The syntax of the target's keys; the planner validates mapped keys against it. */
  readonly keySyntax: "dn";
  /** The writes that disable an entry until `purgeAfter`, when it may be deleted. */
  disable(request: { purgeAfter: Date }): AttrChange[];
  /** The writes that enable a disabled entry again. */
  enable(): AttrChange[];
  /** True when the entry at `key` with these attributes is disabled. */
  isDisabled(attrs: Record<string, string[]>, key: string): boolean;
  /** True when a disabled entry's purge date has passed at `now`. */
  purgeDue(attrs: Record<string, string[]>, now: Date): boolean;
}

/** Object classes and attributes an entry is written with (`EntryWrites` of the connector contract). */
interface Writes {
  objectClasses: string[];
  attributes: string[];
}

/**
 * What a disabled person's entry holds beyond a person's: the attributes and object classes
 * the rules' disable writes, added to `person` (for a target's self-check in `doctor`).
 *
 * @example
 * disabledWrites(writes.person, directoryRules(config.disable)).attributes // [..., "schacUserStatus"]
 */
export function disabledWrites(person: Writes, rules: TargetRules): Writes {
  const changes = rules.disable({ purgeAfter: new Date(0) });
  const classes = changes.filter((c) => c.attr.toLowerCase() === "objectclass");
  return {
    objectClasses: [
      ...new Set([...person.objectClasses, ...classes.flatMap((c) => c.add ?? c.replace ?? [])]),
    ],
    attributes: [
      ...new Set([...person.attributes, ...changes.filter((c) => !classes.includes(c)).map((c) => c.attr)]),
    ],
  };
}
