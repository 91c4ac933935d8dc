import type { Disable } from "../../src/config/schema.js";
import { directoryRules } from "../../src/model/directory-rules.js";
import { attrValues } from "../../src/model/entry.js";
import { generalizedTime } from "../../src/model/generalized-time.js";
import type { TargetRules } from "../../src/model/target-rules.js";
import { normKey } from "../../src/plan/keys.js";
import type { LdapConfig } from "./config.js";

/**
 * What an LDAP target means by a disabled entry. Without `target.disable`, the configuration's
 * top-level `disable:` (SCHAC attributes, see `directoryRules`). With strategy `attribute`, the
 * plan sets `disable.attribute` to `disable.value` (and the purge date in `purgeAttribute`),
 * visible in the diff. With strategy `ou`, the plan carries no changes and the target moves
 * the entry to `disable.ou` (enable: back to the people base); an entry there is disabled, and
 * none is ever due for deletion (there is no purge date to go by).
 *
 * @example
 * ldapRules(config, topLevel.disable).disable({ purgeAfter })
 */
export function ldapRules(config: LdapConfig, defaults: Disable): TargetRules {
  return config.disable ? ownDisableRules(config.disable) : directoryRules(defaults);
}

/**
 * The rules of an LDAP target's own `disable:` section (strategy `attribute` or `ou`), see {@link ldapRules}.
 *
 * @example
 * ownDisableRules({ strategy: "attribute", attribute: "employeeType", value: "disabled" })
 */
export function ownDisableRules(d: NonNullable<LdapConfig["disable"]>): TargetRules {
  if (d.strategy === "ou") {
    const suffix = `,${normKey(d.ou as string)}`;
    return {
      keySyntax: "dn",
      disable: () => [],
      enable: () => [],
      isDisabled: (_attrs, key) => normKey(key).endsWith(suffix),
      purgeDue: () => false,
    };
  }
  const purge = d.purgeAttribute;
  return {
    keySyntax: "dn",
    disable: ({ purgeAfter }) => [
      { attr: d.attribute, replace: [d.value] },
      ...(purge ? [{ attr: purge, replace: [generalizedTime(purgeAfter)] }] : []),
    ],
    enable: () => [{ attr: d.attribute, replace: [] }, ...(purge ? [{ attr: purge, replace: [] }] : [])],
    isDisabled: (attrs) => attrValues(attrs, d.attribute).includes(d.value),
    purgeDue: (attrs, now) => {
      const v = purge ? attrValues(attrs, purge)[0] : undefined;
      return v !== undefined && v <= generalizedTime(now);
    },
  };
}
