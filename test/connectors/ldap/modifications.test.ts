import { describe, expect, it } from "vitest";
import { backoffDelay } from "../../../connectors/ldap/backoff.js";
import { chunkModifications, modificationsFor } from "../../../connectors/ldap/modifications.js";
import { modifyDnTarget } from "../../../connectors/ldap/modify-dn.js";

describe("modificationsFor", () => {
  it("sends only the missing and superfluous values", () => {
    expect(
      modificationsFor(
        { member: ["a", "b"], Mail: ["x"] },
        [{ attr: "member", add: ["b", "c"], remove: ["a", "z"] }],
        100,
      ),
    ).toEqual([
      { operation: "add", attr: "member", values: ["c"] },
      { operation: "delete", attr: "member", values: ["a"] },
    ]);
  });
  it("is empty when the effect is already there", () => {
    expect(
      modificationsFor(
        { mail: ["x", "y"] },
        [
          { attr: "MAIL", replace: ["y", "x"] },
          { attr: "cn", remove: ["q"] },
        ],
        100,
      ),
    ).toEqual([]);
  });
  it("sends a replace as value-level changes when that keeps the wanted order (the attribute stays in place)", () => {
    expect(modificationsFor({ mail: ["x"] }, [{ attr: "mail", replace: ["y"] }], 100)).toEqual([
      { operation: "add", attr: "mail", values: ["y"] },
      { operation: "delete", attr: "mail", values: ["x"] },
    ]);
    expect(
      modificationsFor({ objectClass: ["a", "b", "c"] }, [{ attr: "objectClass", replace: ["a", "b"] }], 100),
    ).toEqual([{ operation: "delete", attr: "objectClass", values: ["c"] }]);
  });
  it("replaces when value-level changes would reorder the values or clash in case", () => {
    expect(modificationsFor({ cn: ["y"] }, [{ attr: "cn", replace: ["x", "y"] }], 100)).toEqual([
      { operation: "replace", attr: "cn", values: ["x", "y"] },
    ]);
    expect(modificationsFor({ mail: ["P@x.nl"] }, [{ attr: "mail", replace: ["p@x.nl"] }], 100)).toEqual([
      { operation: "replace", attr: "mail", values: ["p@x.nl"] },
    ]);
  });
  it("falls back to value level past the chunk size", () => {
    expect(modificationsFor({ member: ["a"] }, [{ attr: "member", replace: ["b", "c", "d"] }], 2)).toEqual([
      { operation: "add", attr: "member", values: ["b", "c", "d"] },
      { operation: "delete", attr: "member", values: ["a"] },
    ]);
  });
});

describe("chunkModifications", () => {
  it("splits values into requests of at most the limit, adds before deletes", () => {
    const requests = chunkModifications(
      [
        { operation: "delete", attr: "member", values: ["a", "b", "c"] },
        { operation: "add", attr: "member", values: ["d", "e", "f", "g", "h"] },
      ],
      2,
    );
    expect(requests.map((r) => r.map((m) => `${m.operation}:${m.values.join("")}`))).toEqual([
      ["add:de"],
      ["add:fg"],
      ["add:h"],
      ["delete:ab"],
      ["delete:c"],
    ]);
  });
});

describe("modifyDnTarget", () => {
  it("hex-escapes the new RDN so ldapts splits RDN and superior at the right comma", () => {
    expect(modifyDnTarget("uid=a\\\\,ou=x,dc=y", true)).toBe("uid=a\\5C,ou=x,dc=y");
    expect(modifyDnTarget("cn=Puk\\, P.,ou=x", false)).toBe("cn=Puk\\2C P.");
  });
});

describe("backoffDelay", () => {
  it("grows exponentially up to the cap, with jitter in the upper half", () => {
    const policy = { attempts: 10, baseMs: 100, maxMs: 1000, totalMs: 10_000 };
    expect(backoffDelay(policy, 1, () => 0)).toBe(50);
    expect(backoffDelay(policy, 3, () => 1)).toBe(400);
    expect(backoffDelay(policy, 10, () => 1)).toBe(1000);
  });
});
