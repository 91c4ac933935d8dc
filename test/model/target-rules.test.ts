/**
 * `disabledWrites`: what a disabled person's entry holds, from the target's rules, which is what
 * `doctor` checks against the directory's schema.
 */
import { describe, expect, it } from "vitest";
import { ownDisableRules } from "../../connectors/ldap/rules.js";
import { DisableSchema } from "../../src/config/schema.js";
import { directoryRules } from "../../src/model/directory-rules.js";
import { disabledWrites } from "../../src/model/target-rules.js";

const person = { objectClasses: ["inetOrgPerson"], attributes: ["cn", "sn", "uid"] };

describe("disabledWrites", () => {
  it("adds the SCHAC attributes and classes of the top-level disable rules", () => {
    const rules = directoryRules(DisableSchema.parse({}));
    expect(disabledWrites(person, rules)).toEqual({
      objectClasses: ["inetOrgPerson", "schacUserEntitlements", "schacEntryMetadata"],
      attributes: ["cn", "sn", "uid", "schacUserStatus", "schacExpiryDate"],
    });
  });

  it("adds only the attribute an LDAP target's own disable writes, and nothing for the ou strategy", () => {
    const attribute = ownDisableRules({ strategy: "attribute", attribute: "employeeType", value: "x" });
    expect(disabledWrites(person, attribute)).toEqual({
      ...person,
      attributes: [...person.attributes, "employeeType"],
    });
    const ou = ownDisableRules({ strategy: "ou", ou: "ou=oud,dc=x", attribute: "a", value: "v" });
    expect(disabledWrites(person, ou)).toEqual(person);
  });
});
