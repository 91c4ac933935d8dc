import { describe, expect, it } from "vitest";
import { isOverstapError } from "../../src/errors.js";
import {
  type AffiliationConfigInput,
  AffiliationConfigSchema,
  compileAffiliation,
  compileSchoolTable,
  personalUniqueCode,
  profileId,
  SchoolTableSchema,
} from "../../src/mapping/affiliation.js";
import { loadProfile, validateEntry } from "../../src/mapping/profile.js";

function rules(input: AffiliationConfigInput) {
  return compileAffiliation(AffiliationConfigSchema.parse(input));
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isOverstapError(err)) return err.code;
    throw err;
  }
  return "no error";
}

describe("compileAffiliation", () => {
  const derive = rules({
    rules: [
      { match: { roles: ["Leerling"] }, affiliation: ["student"], stop: true },
      { match: { groups: ["Docenten", "Teachers"] }, affiliation: ["employee", "faculty"] },
      { match: { ouPath: "^/Staf(/|$)" }, affiliation: ["staff"] },
      { match: { jobTitle: "conci[eë]rge|administratie" }, affiliation: ["employee", "staff"] },
      { match: { groups: ["Stagiairs"], ouPath: "/Extern" }, affiliation: ["affiliate"] },
    ],
    default: ["affiliate"],
    addMember: true,
    scope: "voorbeeld.nl",
  });

  it("derives from LAS roles, and a stop rule ends the evaluation", () => {
    expect(derive({ roles: ["leerling"], groups: ["Docenten"] })).toEqual({
      affiliation: ["student", "member"],
      scoped: ["student@voorbeeld.nl", "member@voorbeeld.nl"],
    });
  });
  it("derives from groups case-insensitively", () => {
    expect(derive({ groups: ["teachers"] }).affiliation).toEqual(["employee", "faculty", "member"]);
  });
  it("derives from OU paths and job titles; several rules add up in rule order", () => {
    expect(derive({ ouPath: "/Staf/ICT", jobTitle: "Conciërge" }).affiliation).toEqual([
      "staff",
      "employee",
      "member",
    ]);
    expect(derive({ ouPath: "/Stafkamer" }).affiliation).toEqual(["affiliate"]);
  });
  it("all criteria of one rule must match", () => {
    expect(derive({ groups: ["Stagiairs"], ouPath: "/Intern" }).affiliation).toEqual(["affiliate"]);
    expect(derive({ groups: ["Stagiairs"], ouPath: "/Extern/2025" })).toEqual({
      affiliation: ["affiliate"],
      scoped: ["affiliate@voorbeeld.nl"],
    });
  });
  it("falls back to the default; affiliate alone does not make a member", () => {
    expect(derive({})).toEqual({ affiliation: ["affiliate"], scoped: ["affiliate@voorbeeld.nl"] });
  });
  it("without addMember and scope, gives plain values only", () => {
    const plain = rules({ rules: [{ match: { roles: ["student"] }, affiliation: ["student"] }] });
    expect(plain({ roles: ["student"] })).toEqual({ affiliation: ["student"], scoped: [] });
    expect(plain({ roles: ["docent"] })).toEqual({ affiliation: [], scoped: [] });
  });
  it("its output passes the SURFconext vocabulary and scoped format", async () => {
    const surf = await loadProfile("surfconext");
    const { affiliation, scoped } = derive({ groups: ["Docenten"] });
    const items = validateEntry(
      surf,
      {
        uid: ["x"],
        schacHomeOrganization: ["voorbeeld.nl"],
        displayName: ["X"],
        mail: ["x@voorbeeld.nl"],
        eduPersonAffiliation: affiliation,
        eduPersonScopedAffiliation: scoped,
      },
      "t:1",
    );
    expect(items).toEqual([]);
  });
  it("rejects bad configuration", () => {
    expect(
      AffiliationConfigSchema.safeParse({ rules: [{ match: {}, affiliation: ["student"] }] }).success,
    ).toBe(false);
    expect(
      AffiliationConfigSchema.safeParse({ rules: [{ match: { roles: ["x"] }, affiliation: ["teacher"] }] })
        .success,
    ).toBe(false);
    expect(AffiliationConfigSchema.safeParse({ rules: [], scope: "not a host" }).success).toBe(false);
    expect(codeOf(() => rules({ rules: [{ match: { ouPath: "(" }, affiliation: ["staff"] }] }))).toBe(
      "MAPPING_INVALID",
    );
  });
});

describe("compileSchoolTable", () => {
  const find = compileSchoolTable(
    SchoolTableSchema.parse({
      "De Regenboog": { brin: "11ZZ", vestiging: "03", name: "OBS De Regenboog" },
      "Het Kompas": { brin: "20DP01" },
      Bovenbouw: { brin: "99DE" },
      "/Scholen/De Vlinder": { brin: "12AB", name: "De Vlinder" },
      "OU=Zonnebloem,OU=Scholen,DC=bestuur,DC=nl": { brin: "13CD", vestiging: "00" },
    }),
  );
  it("finds by school name, case- and space-insensitively", () => {
    expect(find({ school: "de  regenboog " })).toEqual({
      brin: "11ZZ",
      vestiging: "03",
      name: "OBS De Regenboog",
      homeOrganizationId: "11ZZ03",
      branchId: "11ZZ03",
    });
  });
  it("reads a 6-character BRIN as BRIN + vestiging", () => {
    expect(find({ school: "Het Kompas" })).toMatchObject({
      brin: "20DP",
      vestiging: "01",
      branchId: "20DP01",
    });
  });
  it("falls back to the department, then to the OU path from the deepest OU up", () => {
    expect(find({ school: "Onbekend", department: "bovenbouw" })).toEqual({
      brin: "99DE",
      homeOrganizationId: "99DE",
    });
    expect(find({ ouPath: "/Scholen/De Vlinder/Groep 8" })?.brin).toBe("12AB");
    expect(find({ ouPath: "/Scholen/De Vlinder" })?.brin).toBe("12AB");
    expect(find({ ouPath: "/Scholen" })).toBeUndefined();
  });
  it("understands OU DNs on both sides", () => {
    expect(find({ ouPath: "OU=Groep 8,OU=Zonnebloem,OU=Scholen,DC=bestuur,DC=nl" })?.homeOrganizationId).toBe(
      "13CD00",
    );
    expect(find({ ouPath: "/Scholen/Zonnebloem/Groep 3" })?.brin).toBe("13CD");
  });
  it("finds nothing for an unknown school", () => {
    expect(find({ school: "Elders" })).toBeUndefined();
    expect(find({})).toBeUndefined();
  });
  it("refuses a malformed BRIN or vestiging", () => {
    expect(SchoolTableSchema.safeParse({ a: { brin: "11zz" } }).success).toBe(false);
    expect(SchoolTableSchema.safeParse({ a: { brin: "11ZZ", vestiging: "3" } }).success).toBe(false);
  });
});

describe("identifier builders", () => {
  it("nlEduPersonProfileId per DOMAIN.md", async () => {
    expect(profileId("95312", "1", "kennisnet.nl")).toBe("95312@1.kennisnet.nl");
    const entree = await loadProfile("entree");
    const attr = entree.attributes.find((a) => a.name === "nlEduPersonProfileId");
    expect(attr?.format?.name).toBe("profile-id");
    expect(codeOf(() => profileId("95 312", "1", "kennisnet.nl"))).toBe("MAPPING_EVAL");
    expect(codeOf(() => profileId("95312", "1.2", "kennisnet.nl"))).toBe("MAPPING_EVAL");
    expect(codeOf(() => profileId("95312", "1", "kennisnet"))).toBe("MAPPING_EVAL");
  });
  it("schacPersonalUniqueCode per DOMAIN.md", () => {
    expect(personalUniqueCode("uva.nl", "studentid", "123456")).toBe(
      "urn:schac:personalUniqueCode:nl:local:uva.nl:studentid:123456",
    );
    expect(personalUniqueCode("uva.nl", "employeeid", "e-42")).toBe(
      "urn:schac:personalUniqueCode:nl:local:uva.nl:employeeid:e-42",
    );
    expect(codeOf(() => personalUniqueCode("uva", "studentid", "1"))).toBe("MAPPING_EVAL");
    expect(codeOf(() => personalUniqueCode("uva.nl", "studentid", "1:2"))).toBe("MAPPING_EVAL");
    expect(codeOf(() => personalUniqueCode("uva.nl", "studentid", ""))).toBe("MAPPING_EVAL");
  });
});
