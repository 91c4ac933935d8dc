import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { isOverstapError } from "../../src/errors.js";
import {
  attributeInfo,
  bundledProfiles,
  hasErrors,
  loadProfile,
  type Profile,
  validateEntry,
} from "../../src/mapping/profile.js";

const ECKID = `https://ketenid.nl/201703/${"a1".repeat(64)}`;

const goodSurf = (): Record<string, string[]> => ({
  uid: ["p.puk"],
  schacHomeOrganization: ["voorbeeld.nl"],
  displayName: ["Pietje Puk"],
  mail: ["p.puk@voorbeeld.nl"],
  givenName: ["Pietje"],
  sn: ["Puk"],
  eduPersonAffiliation: ["student", "member"],
  eduPersonScopedAffiliation: ["student@voorbeeld.nl"],
  eduPersonPrincipalName: ["p.puk@voorbeeld.nl"],
  eduPersonOrcid: ["https://orcid.org/0000-0002-1825-0097"],
  preferredLanguage: ["nl"],
  schacHomeOrganizationType: ["urn:mace:terena.org:schac:homeOrganizationType:eu:higherEducationInstitution"],
  schacPersonalUniqueCode: ["urn:schac:personalUniqueCode:nl:local:voorbeeld.nl:studentid:123456"],
  eckId: [ECKID],
});

const goodEntree = (): Record<string, string[]> => ({
  uid: ["pietje.puk@petteflat"],
  employeeNumber: ["140136"],
  givenName: ["Pietje"],
  sn: ["Berg"],
  nlEduPersonTussenvoegsels: ["van der"],
  eduPersonAffiliation: ["student"],
  nlEduPersonHomeOrganizationId: ["11ZZ03"],
  nlEduPersonHomeOrganization: ["De Regenboog"],
  nlEduPersonHomeOrganizationBranchId: ["99DE00"],
  nlEduPersonProfileId: ["95312@1.kennisnet.nl"],
  eckId: [ECKID],
});

function rulesOf(profile: Profile, attrs: Record<string, string[]>) {
  return validateEntry(profile, attrs, "entra:42").map((i) => `${i.field} ${i.rule} ${i.severity}`);
}

let surf: Profile;
let entree: Profile;
let eduid: Profile;

beforeAll(async () => {
  [surf, entree, eduid] = await Promise.all([
    loadProfile("surfconext"),
    loadProfile("entree"),
    loadProfile("eduid"),
  ]);
});

describe("bundled profiles", () => {
  it("are the three federations", () => {
    expect(bundledProfiles()).toEqual(["eduid", "entree", "surfconext"]);
  });
  it("a clean person passes each profile", () => {
    expect(validateEntry(surf, goodSurf(), "entra:1")).toEqual([]);
    expect(validateEntry(entree, goodEntree(), "entra:1")).toEqual([]);
    const person = { ...goodSurf(), eduPersonAffiliation: ["student"] };
    expect(validateEntry(eduid, person, "entra:1")).toEqual([]);
  });
  it("carry SAML names, OIDs and OIDC claims from the one dictionary", () => {
    const uid = surf.attributes.find((a) => a.name === "uid");
    expect(uid).toMatchObject({ saml: "urn:mace:dir:attribute-def:uid", oid: "0.9.2342.19200300.100.1.1" });
    const sho = surf.attributes.find((a) => a.name === "schacHomeOrganization");
    expect(sho?.oidc).toBe("schac_home_organization");
    const entreeUid = entree.attributes.find((a) => a.name === "uid");
    expect(entreeUid?.saml).toBe("uid");
    expect(entreeUid?.oid).toBe("0.9.2342.19200300.100.1.1");
  });
});

describe("attributeInfo", () => {
  it("finds an attribute by friendly name, SAML name, OID and OIDC claim", () => {
    const byName = attributeInfo("givenname");
    expect(byName).toMatchObject({ name: "givenName", oid: "2.5.4.42", oidc: "given_name" });
    expect(attributeInfo("urn:mace:dir:attribute-def:givenName")).toBe(byName);
    expect(attributeInfo("urn:oid:2.5.4.42")).toBe(byName);
    expect(attributeInfo("2.5.4.42")).toBe(byName);
    expect(attributeInfo("given_name")).toBe(byName);
    expect(attributeInfo("eckid")?.saml).toBe("urn:mace:surf.nl:attribute-def:eckid");
    expect(attributeInfo("urn:mace:eduid.nl:1.1")?.name).toBe("eduid");
    expect(attributeInfo("edumember_is_member_of")?.name).toBe("isMemberOf");
    expect(attributeInfo("nlEduPersonHomeOrganizationId")?.oid).toBeUndefined();
    expect(attributeInfo("noSuchAttribute")).toBeUndefined();
  });
});

describe("SURFconext rules (EngineBlock)", () => {
  it("uid: exactly one, at most 256 characters, fatal", () => {
    expect(rulesOf(surf, { ...goodSurf(), uid: [] })).toEqual(["uid missing error"]);
    expect(rulesOf(surf, { ...goodSurf(), uid: ["a", "b"] })).toEqual(["uid too-many error"]);
    expect(rulesOf(surf, { ...goodSurf(), uid: ["x".repeat(256)] })).toEqual([]);
    expect(rulesOf(surf, { ...goodSurf(), uid: ["x".repeat(257)] })).toEqual(["uid too-long error"]);
    expect(rulesOf(surf, { ...goodSurf(), uid: [""] })).toEqual(["uid missing error"]);
  });
  it("uid must be safe as an identifier", () => {
    for (const bad of [
      "puk,p",
      "a+b",
      'a"b',
      "a\\b",
      "a<b",
      "a>b",
      "a;b",
      "a=b",
      "#puk",
      " puk",
      "puk ",
      "p\u0000k",
      "p\nk",
    ]) {
      expect(rulesOf(surf, { ...goodSurf(), uid: [bad] }), bad).toEqual(["uid identifier-unsafe error"]);
    }
    expect(rulesOf(surf, { ...goodSurf(), uid: ["p#uk-1_a.b@c"] })).toEqual([]);
  });
  it("schacHomeOrganization: exactly one hostname, fatal", () => {
    expect(rulesOf(surf, { ...goodSurf(), schacHomeOrganization: [] })).toEqual([
      "schacHomeOrganization missing error",
    ]);
    expect(rulesOf(surf, { ...goodSurf(), schacHomeOrganization: ["a.nl", "b.nl"] })).toEqual([
      "schacHomeOrganization too-many error",
    ]);
    for (const bad of ["voorbeeld", "https://voorbeeld.nl", "voor beeld.nl", "-x.nl", "x_y.nl"]) {
      expect(rulesOf(surf, { ...goodSurf(), schacHomeOrganization: [bad] }), bad).toEqual([
        "schacHomeOrganization format:hostname error",
      ]);
    }
    expect(rulesOf(surf, { ...goodSurf(), schacHomeOrganization: ["student.uva.nl"] })).toEqual([]);
  });
  it("displayName and mail missing are warnings, not errors", () => {
    const person = goodSurf();
    delete person.displayName;
    delete person.mail;
    const items = validateEntry(surf, person, "entra:42");
    expect(items.map((i) => `${i.field} ${i.rule} ${i.severity}`)).toEqual([
      "displayName missing warning",
      "mail missing warning",
    ]);
    expect(hasErrors(items)).toBe(false);
    expect(items[0]).toMatchObject({ record: "entra:42", field: "displayName" });
  });
  it("single-valued attributes warn on a second value", () => {
    for (const attr of [
      "displayName",
      "cn",
      "givenName",
      "sn",
      "eduPersonPrincipalName",
      "preferredLanguage",
    ]) {
      const person = goodSurf();
      person[attr] = [...(person[attr] ?? ["x@y"]), ...(person[attr] ?? ["x@y"])];
      expect(rulesOf(surf, person), attr).toEqual([`${attr} too-many warning`]);
    }
  });
  it("mail must be an e-mail address", () => {
    expect(rulesOf(surf, { ...goodSurf(), mail: ["pietje puk"] })).toEqual(["mail format:email warning"]);
  });
  it("affiliation vocabulary, and the reason names the value", () => {
    for (const ok of ["affiliate", "employee", "faculty", "member", "pre-student", "student", "staff"]) {
      expect(rulesOf(surf, { ...goodSurf(), eduPersonAffiliation: [ok] })).toEqual([]);
    }
    const items = validateEntry(surf, { ...goodSurf(), eduPersonAffiliation: ["teacher"] }, "entra:42");
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      field: "eduPersonAffiliation",
      rule: "vocabulary",
      severity: "warning",
    });
    expect(items[0]?.reason).toContain('"teacher"');
  });
  it("scoped affiliation is affiliation@domain", () => {
    expect(rulesOf(surf, { ...goodSurf(), eduPersonScopedAffiliation: ["staff@uva.nl"] })).toEqual([]);
    for (const bad of ["student", "teacher@uva.nl", "student@", "student@uva"]) {
      expect(rulesOf(surf, { ...goodSurf(), eduPersonScopedAffiliation: [bad] }), bad).toEqual([
        "eduPersonScopedAffiliation format:scoped-affiliation warning",
      ]);
    }
  });
  it("ePPN is \\S+@\\S+ and identifier-safe", () => {
    expect(rulesOf(surf, { ...goodSurf(), eduPersonPrincipalName: ["puk"] })).toEqual([
      "eduPersonPrincipalName format:eppn warning",
    ]);
    expect(rulesOf(surf, { ...goodSurf(), eduPersonPrincipalName: ["p puk@x.nl"] })).toEqual([
      "eduPersonPrincipalName format:eppn warning",
    ]);
    expect(rulesOf(surf, { ...goodSurf(), eduPersonPrincipalName: ["puk;1@x.nl"] })).toEqual([
      "eduPersonPrincipalName identifier-unsafe warning",
    ]);
  });
  it("ORCID is https://orcid.org/dddd-dddd-dddd-dddX with a valid check digit", () => {
    expect(
      rulesOf(surf, { ...goodSurf(), eduPersonOrcid: ["https://orcid.org/0000-0002-9079-593X"] }),
    ).toEqual([]);
    for (const bad of [
      "0000-0002-1825-0097",
      "http://orcid.org/0000-0002-1825-0097",
      "https://orcid.org/0000-0002-1825-0098",
      "https://orcid.org/0000-0002-1825-009",
    ]) {
      expect(rulesOf(surf, { ...goodSurf(), eduPersonOrcid: [bad] }), bad).toEqual([
        "eduPersonOrcid format:orcid warning",
      ]);
    }
  });
  it("schacPersonalUniqueCode is the NL local URN", () => {
    for (const ok of [
      "urn:schac:personalUniqueCode:nl:local:uva.nl:employeeid:e123",
      "urn:schac:personalUniqueCode:nl:local:uva.nl:memberid:m-1",
    ]) {
      expect(rulesOf(surf, { ...goodSurf(), schacPersonalUniqueCode: [ok] }), ok).toEqual([]);
    }
    for (const bad of [
      "urn:schac:personalUniqueCode:nl:local:uva.nl:pupilid:1",
      "urn:schac:personalUniqueCode:nl:local:uva:studentid:1",
      "urn:schac:personalUniqueCode:nl:local:uva.nl:studentid:",
      "123456",
    ]) {
      expect(rulesOf(surf, { ...goodSurf(), schacPersonalUniqueCode: [bad] }), bad).toEqual([
        "schacPersonalUniqueCode format:personal-unique-code warning",
      ]);
    }
  });
  it("preferredLanguage is an ISO 639-1 code", () => {
    expect(rulesOf(surf, { ...goodSurf(), preferredLanguage: ["en"] })).toEqual([]);
    for (const bad of ["nld", "NL", "xx", "nl-NL"]) {
      expect(rulesOf(surf, { ...goodSurf(), preferredLanguage: [bad] }), bad).toEqual([
        "preferredLanguage format:language warning",
      ]);
    }
  });
  it("ECK iD, entitlement and isMemberOf formats", () => {
    expect(rulesOf(surf, { ...goodSurf(), eckId: ["https://example.org/x"] })).toEqual([
      "eckId format:eckid warning",
    ]);
    expect(rulesOf(surf, { ...goodSurf(), eduPersonEntitlement: ["urn:mace:surf.nl:x"] })).toEqual([]);
    expect(rulesOf(surf, { ...goodSurf(), isMemberOf: ["docenten"] })).toEqual([
      "isMemberOf format:urn warning",
    ]);
  });
  it("matches attribute names case-insensitively", () => {
    const person = goodSurf();
    person.UID = person.uid as string[];
    delete person.uid;
    expect(validateEntry(surf, person, "entra:1")).toEqual([]);
  });
});

describe("Entree rules", () => {
  it("every required attribute missing is an error naming it", () => {
    const required = [
      "uid",
      "employeeNumber",
      "givenName",
      "sn",
      "eduPersonAffiliation",
      "nlEduPersonHomeOrganizationId",
      "nlEduPersonHomeOrganization",
    ];
    for (const attr of required) {
      const person = goodEntree();
      delete person[attr];
      expect(rulesOf(entree, person), attr).toEqual([`${attr} missing error`]);
    }
  });
  it("uid is userId@realm", () => {
    expect(rulesOf(entree, { ...goodEntree(), uid: ["pietje.puk"] })).toEqual([
      "uid format:user-at-realm error",
    ]);
  });
  it("affiliation is student, employee, staff or affiliate", () => {
    for (const ok of ["student", "employee", "staff", "affiliate"]) {
      expect(rulesOf(entree, { ...goodEntree(), eduPersonAffiliation: [ok] })).toEqual([]);
    }
    expect(rulesOf(entree, { ...goodEntree(), eduPersonAffiliation: ["faculty"] })).toEqual([
      "eduPersonAffiliation vocabulary error",
    ]);
  });
  it("BRIN: 4 characters or 6 with vestiging", () => {
    for (const ok of ["11ZZ", "20DP", "11ZZ03"]) {
      expect(rulesOf(entree, { ...goodEntree(), nlEduPersonHomeOrganizationId: [ok] }), ok).toEqual([]);
    }
    for (const bad of ["11zz", "11Z", "11ZZ3", "11ZZ0A", "11ZZ033"]) {
      expect(rulesOf(entree, { ...goodEntree(), nlEduPersonHomeOrganizationId: [bad] }), bad).toEqual([
        "nlEduPersonHomeOrganizationId format:brin error",
      ]);
    }
    expect(rulesOf(entree, { ...goodEntree(), nlEduPersonHomeOrganizationBranchId: ["99DE"] })).toEqual([
      "nlEduPersonHomeOrganizationBranchId format:brin-branch warning",
    ]);
  });
  it("nlEduPersonProfileId is number@administration.domain", () => {
    expect(rulesOf(entree, { ...goodEntree(), nlEduPersonProfileId: ["95312"] })).toEqual([
      "nlEduPersonProfileId format:profile-id warning",
    ]);
  });
  it("a malformed ECK iD is fatal; production and pilot forms pass", () => {
    expect(
      rulesOf(entree, { ...goodEntree(), eckId: [`https://ketenid.nl/pilot/${"0f".repeat(64)}`] }),
    ).toEqual([]);
    for (const bad of [
      `https://ketenid.nl/201703/${"A1".repeat(64)}`,
      `https://ketenid.nl/201703/${"a1".repeat(63)}`,
      `http://ketenid.nl/201703/${"a1".repeat(64)}`,
    ]) {
      expect(rulesOf(entree, { ...goodEntree(), eckId: [bad] })).toEqual(["eckId format:eckid error"]);
    }
    expect(rulesOf(entree, { ...goodEntree(), eckId: [ECKID, ECKID] })).toEqual(["eckId too-many error"]);
  });
});

describe("eduID rules", () => {
  it("mail is required for eduID linking", () => {
    const person = goodSurf();
    delete person.mail;
    expect(rulesOf(eduid, person)).toEqual(["mail missing error"]);
  });
});

describe("loadProfile errors", () => {
  async function withProfile(text: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), "overstap-profile-"));
    const file = join(dir, "mine.yaml");
    await writeFile(file, text);
    return file;
  }
  async function errorOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
    try {
      await promise;
    } catch (err) {
      if (isOverstapError(err)) return { code: err.code, message: err.message };
      throw err;
    }
    throw new Error("expected an error");
  }
  it("an unknown bundled name lists the bundled ones", async () => {
    const err = await errorOf(loadProfile("kennisnet"));
    expect(err.code).toBe("CONFIG_INVALID");
  });
  it("a missing file", async () => {
    expect((await errorOf(loadProfile("/nonexistent/p.yaml"))).code).toBe("CONFIG_NOT_FOUND");
  });
  it("a schema error names file, line and key", async () => {
    const file = await withProfile(
      "name: mine\ntitle: Mine\nattributes:\n  uid:\n    min: 1\n    severity: fatal\n",
    );
    const err = await errorOf(loadProfile(file));
    expect(err.code).toBe("MAPPING_INVALID");
    expect(err.message).toContain(`${file}:6: attributes.uid.severity`);
  });
  it("an unknown format name and a bad regex are located", async () => {
    const f1 = await withProfile(
      "name: mine\ntitle: Mine\nattributes:\n  uid:\n    format: hostnam\n    severity: error\n",
    );
    expect((await errorOf(loadProfile(f1))).message).toContain(":5: attributes.uid.format");
    const f2 = await withProfile(
      "name: mine\ntitle: Mine\nattributes:\n  uid:\n    format: { regex: '(' }\n    severity: error\n",
    );
    expect((await errorOf(loadProfile(f2))).message).toContain(":5: attributes.uid.format.regex");
  });
  it("an attribute outside the dictionary needs its saml name; a contradiction is refused", async () => {
    const f1 = await withProfile(
      "name: mine\ntitle: Mine\nattributes:\n  schoolCode:\n    severity: error\n",
    );
    expect((await errorOf(loadProfile(f1))).message).toContain(
      ":4: attributes.schoolCode: not in the attribute dictionary",
    );
    const f2 = await withProfile(
      "name: mine\ntitle: Mine\nattributes:\n  uid:\n    severity: error\n    oid: 1.2.3\n",
    );
    expect((await errorOf(loadProfile(f2))).message).toContain(":6: attributes.uid.oid");
  });
  it("a custom profile with its own attribute and regex validates entries", async () => {
    const file = await withProfile(
      [
        "name: mine",
        "title: Mine",
        "attributes:",
        "  schoolCode:",
        "    saml: urn:example:schoolCode",
        "    min: 1",
        "    max: 1",
        "    format: { regex: '^[A-Z]{3}$', name: school-code }",
        "    severity: error",
      ].join("\n"),
    );
    const mine = await loadProfile(file);
    expect(mine.attributes[0]).toMatchObject({ name: "schoolCode", saml: "urn:example:schoolCode" });
    expect(rulesOf(mine, { schoolCode: ["ABC"] })).toEqual([]);
    expect(rulesOf(mine, { schoolCode: ["abc"] })).toEqual(["schoolCode format:school-code error"]);
  });
});
