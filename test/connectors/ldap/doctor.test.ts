/**
 * Finding 1 of issue 16, for LDAP: doctor said ✓ for a mapping whose object classes do not allow
 * the nlEduPerson attributes it writes, and every create then failed with objectClassViolation.
 * Against a real slapd: the check predicts exactly that failure (shown by a real add), passes the
 * mapping with the class that allows them, fails a wrong password and a base DN that does not
 * exist, and gives up on a host name that does not resolve at once, without apply advice.
 */
import { Client } from "ldapts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkLdapTarget } from "../../../connectors/ldap/doctor.js";
import type { TargetWrites } from "../../../src/model/connector.js";
import { type Slapd, startSlapd } from "../../support/slapd.js";
import { context } from "./helpers.js";

const PERSON = ["cn", "sn", "givenName", "uid", "mail", "eduPersonAffiliation", "nlEduPersonProfileId"];

function writes(objectClasses: string[]): TargetWrites {
  return {
    person: { objectClasses, attributes: [...PERSON, "eduPersonUniqueId"] },
    group: { objectClasses: ["groupOfNames"], attributes: ["cn", "description", "member"] },
    disabled: {
      objectClasses: [...objectClasses, "schacUserEntitlements", "schacEntryMetadata"],
      attributes: [...PERSON, "eduPersonUniqueId", "schacUserStatus", "schacExpiryDate"],
    },
  };
}

describe("doctor against OpenLDAP", () => {
  let slapd: Slapd;
  const config = (extra: Record<string, unknown> = {}) => ({
    type: "ldap",
    url: slapd.url,
    baseDn: slapd.baseDn,
    bindDn: slapd.bindDn,
    bindPassword: { file: slapd.passwordFile },
    ...extra,
  });
  beforeAll(async () => {
    slapd = await startSlapd();
  });
  afterAll(async () => {
    await slapd?.stop();
  });

  it("predicts the objectClassViolation of a mapping without the nlEduPerson class", async () => {
    const found = await checkLdapTarget(config(), context(), writes(["inetOrgPerson", "eduPerson"]));
    const bad = found.filter((f) => f.status === "failed");
    expect(bad.map((f) => f.message)).toEqual([
      "persons: object classes inetOrgPerson, eduPerson do not allow nlEduPersonProfileId; every such write would fail with objectClassViolation",
      "disabled persons: object classes inetOrgPerson, eduPerson, schacUserEntitlements, schacEntryMetadata do not allow nlEduPersonProfileId; every such write would fail with objectClassViolation",
    ]);
    expect(bad[0]?.hint).toContain("nlEduPersonProfileId: nlEduPerson");

    // The prediction is what the server does.
    const client = new Client({ url: slapd.url });
    try {
      await client.bind(slapd.bindDn, slapd.password);
      await expect(
        client.add(`uid=p1,${slapd.baseDn}`, {
          objectClass: ["inetOrgPerson", "eduPerson"],
          cn: "P",
          sn: "P",
          uid: "p1",
          nlEduPersonProfileId: "x",
        }),
      ).rejects.toMatchObject({ code: 65 });
    } finally {
      await client.unbind();
    }
  });

  it("passes the mapping with the nlEduPerson class: bind, base DN, schema", async () => {
    const found = await checkLdapTarget(
      config(),
      context(),
      writes(["inetOrgPerson", "eduPerson", "nlEduPerson"]),
    );
    expect(found.filter((f) => f.status !== "ok")).toEqual([]);
    expect(found.map((f) => f.message)).toContain(`bound to ${slapd.url} as ${slapd.bindDn}`);
    expect(found.map((f) => f.message)).toContain(`target.baseDn ${slapd.baseDn} exists`);
  });

  it("checks disabled persons by the target's own disable rules, not the top-level ones", async () => {
    const nl = ["inetOrgPerson", "eduPerson", "nlEduPerson"];
    const own = (attribute: string) =>
      config({ disable: { strategy: "attribute", attribute, value: "disabled" } });
    // The top-level writes carry the SCHAC classes, which this target's disable never adds.
    const lacking = await checkLdapTarget(own("schacUserStatus"), context(), writes(nl));
    expect(lacking.filter((f) => f.status === "failed").map((f) => f.message)).toEqual([
      "disabled persons: object classes inetOrgPerson, eduPerson, nlEduPerson do not allow schacUserStatus; every such write would fail with objectClassViolation",
    ]);
    const fine = await checkLdapTarget(own("employeeType"), context(), writes(nl));
    expect(fine.filter((f) => f.status !== "ok")).toEqual([]);
    expect(fine.map((f) => f.message)).toContain(
      "disabled persons: object classes inetOrgPerson, eduPerson, nlEduPerson allow all 9 attributes written",
    );
  });

  it("fails a disable OU that does not exist", async () => {
    const ou = `ou=oud,${slapd.baseDn}`;
    const found = await checkLdapTarget(
      config({ disable: { strategy: "ou", ou } }),
      context(),
      writes(["inetOrgPerson", "eduPerson", "nlEduPerson"]),
    );
    expect(found.filter((f) => f.status === "failed").map((f) => f.message)).toEqual([
      `target.disable.ou: ${ou} does not exist on the server`,
    ]);
  });

  it("names required attributes the mapping does not write", async () => {
    const w = writes(["inetOrgPerson", "eduPerson", "nlEduPerson"]);
    w.person.attributes = w.person.attributes.filter((a) => a !== "sn");
    const found = await checkLdapTarget(config(), context(), w);
    expect(found.find((f) => f.status === "failed")?.message).toContain(
      "require sn, which the mapping does not write",
    );
  });

  it("fails a wrong password, and leaves the rest not checked", async () => {
    const found = await checkLdapTarget(
      config({ bindPassword: { env: "OVERSTAP_TEST_WRONG_PW" } }),
      { ...context(), secret: async () => "wrong" },
      writes(["inetOrgPerson"]),
    );
    expect(found.map((f) => f.status)).toEqual(["failed", "not checked"]);
    expect(found[0]?.message).toMatch(/^\[TARGET_AUTH\] LDAP bind/);
  });

  it("fails a base DN that does not exist", async () => {
    const found = await checkLdapTarget(
      config({ peopleBase: `ou=mensen,${slapd.baseDn}` }),
      context(),
      writes(["inetOrgPerson", "eduPerson", "nlEduPerson"]),
    );
    expect(found.find((f) => f.status === "failed")?.message).toBe(
      `target.peopleBase: ou=mensen,${slapd.baseDn} does not exist on the server`,
    );
  });

  it("gives up on a host name that does not resolve at once, without apply advice", async () => {
    const started = Date.now();
    const found = await checkLdapTarget(
      config({ url: "ldap://no-such-host.invalid", allowInsecure: true }),
      context(),
      writes(["inetOrgPerson"]),
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(found[0]?.status).toBe("failed");
    expect(found[0]?.message).not.toContain("gave up after");
    expect(`${found[0]?.hint}`).not.toContain("resume");
  });
});
