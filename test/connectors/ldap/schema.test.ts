import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nlEduPersonSchema, renderLdif, renderSchemaFile } from "../../../connectors/ldap/schema/index.js";
import { checkSchema } from "../../../connectors/ldap/schema-check.js";
import { schemaFiles } from "../../../scripts/slapd/generate-schemas.js";
import { isOverstapError } from "../../../src/errors.js";
import { type Slapd, startSlapd } from "../../support/slapd.js";
import { targetFor } from "./helpers.js";

describe("LDAP schemas", () => {
  it("ships files that match their definitions (regenerate with scripts/slapd/generate-schemas.ts)", () => {
    for (const [file, content] of Object.entries(schemaFiles()))
      expect(readFileSync(file, "utf8"), file).toBe(content);
  });

  it("uses the OIDs of the specifications", () => {
    const edu = readFileSync("mappings/ldap-schema/eduperson.ldif", "utf8");
    expect(edu).toMatch(/\( 1\.3\.6\.1\.4\.1\.5923\.1\.1\.1\.6\n {2}NAME 'eduPersonPrincipalName'/);
    expect(edu).toMatch(/\( 1\.3\.6\.1\.4\.1\.5923\.1\.1\.2\n {2}NAME 'eduPerson'/);
    const schac = readFileSync("mappings/ldap-schema/schac.schema", "utf8");
    expect(schac).toMatch(
      /attributetype \( 1\.3\.6\.1\.4\.1\.25178\.1\.2\.9\n {2}NAME 'schacHomeOrganization'/,
    );
    expect(schac).toMatch(/attributetype \( 1\.3\.6\.1\.4\.1\.25178\.1\.2\.19\n {2}NAME 'schacUserStatus'/);
  });

  it("generates nlEduPerson under the institution's arc", () => {
    const s = nlEduPersonSchema("1.3.6.1.4.1.4711.3");
    expect(s.attributeTypes.map((a) => `${a.oid} ${a.name}`)).toContain("1.3.6.1.4.1.4711.3.1.7 eckId");
    expect(s.objectClasses[0]?.oid).toBe("1.3.6.1.4.1.4711.3.2.1");
    expect(renderLdif(s)).toContain("dn: cn=nleduperson,cn=schema,cn=config");
    expect(renderSchemaFile(s)).toContain("objectclass ( 1.3.6.1.4.1.4711.3.2.1");
  });

  it("refuses an arc that is not a numeric OID", () => {
    for (const arc of ["", "1.3.6.x", "1.3.6.1.", "4.1", "1.3.06"]) {
      expect(() => nlEduPersonSchema(arc)).toThrow();
      try {
        nlEduPersonSchema(arc);
      } catch (err) {
        expect(isOverstapError(err, "USAGE")).toBe(true);
      }
    }
  });
});

describe("checkSchema against slapd", () => {
  let slapd: Slapd;
  beforeAll(async () => {
    slapd = await startSlapd();
  });
  afterAll(async () => {
    await slapd?.stop();
  });

  it("finds the loaded schemas and names what is missing with how to load it", async () => {
    const t = await targetFor(slapd);
    try {
      const ok = await checkSchema(
        t,
        ["uid", "eduPersonPrincipalName", "schacHomeOrganization", "eckId"],
        ["eduPerson"],
      );
      expect(ok).toEqual({ ok: true, missingAttributes: [], missingObjectClasses: [], hints: [] });
      const bad = await checkSchema(t, ["eduPersonAffiliation", "favouriteColour"], ["nlEduPersonX"]);
      expect(bad.ok).toBe(false);
      expect(bad.missingAttributes).toEqual(["favouriteColour"]);
      expect(bad.missingObjectClasses).toEqual(["nlEduPersonX"]);
      expect(bad.hints.join("\n")).toContain("favouriteColour, nlEduPersonX: not in any schema");
    } finally {
      await t.close();
    }
  });
});
