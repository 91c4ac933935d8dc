import type { Disable } from "../config/schema.js";
import { attrValues } from "./entry.js";
import { generalizedTime } from "./generalized-time.js";
import type { TargetRules } from "./target-rules.js";

/**
 * The rules of an LDAP-style directory (LDAP and LDIF targets): DN keys; a disabled entry holds
 * `disable.value` in `disable.attribute` (SCHAC's `schacUserStatus` by default) and its purge
 * date as GeneralizedTime in `disable.purgeAttribute`, with the object classes that allow both.
 *
 * @example
 * directoryRules(config.disable).disable({ purgeAfter: new Date("2027-03-01") })
 */
export function directoryRules(disable: Disable): TargetRules {
  return {
    keySyntax: "dn",
    disable: ({ purgeAfter }) => [
      ...(disable.objectClasses.length ? [{ attr: "objectClass", add: disable.objectClasses }] : []),
      { attr: disable.attribute, add: [disable.value] },
      { attr: disable.purgeAttribute, replace: [generalizedTime(purgeAfter)] },
    ],
    enable: () => [
      { attr: disable.attribute, remove: [disable.value] },
      { attr: disable.purgeAttribute, replace: [] },
    ],
    isDisabled: (attrs) => attrValues(attrs, disable.attribute).includes(disable.value),
    purgeDue: (attrs, now) => {
      const v = attrValues(attrs, disable.purgeAttribute)[0];
      return v !== undefined && v <= generalizedTime(now);
    },
  };
}
