import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { overstapLine } from "../../support/cli.js";

describe("overstap ldap-schema", () => {
  let dir = "";
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("writes the nlEduPerson schema under the given arc in both formats", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "overstap-schema-"));
    const ldif = path.join(dir, "nl.ldif");
    const schema = path.join(dir, "nl.schema");
    const ldifRun = await overstapLine(["ldap-schema", "-q", "--arc", "1.3.6.1.4.1.4711.2", "--out", ldif]);
    const schemaRun = await overstapLine([
      "ldap-schema",
      "-q",
      "--arc",
      "1.3.6.1.4.1.4711.2",
      "--format",
      "schema",
      "--out",
      schema,
    ]);
    expect(await readFile(ldif, "utf8")).toMatch(
      /olcAttributeTypes: \( 1\.3\.6\.1\.4\.1\.4711\.2\.1\.1\n {2}NAME 'nlEduPersonHomeOrganizationId'/,
    );
    expect(await readFile(schema, "utf8")).toMatch(
      /objectclass \( 1\.3\.6\.1\.4\.1\.4711\.2\.2\.1\n {2}NAME 'nlEduPerson'/,
    );
    expect([ldifRun.code, schemaRun.code]).toEqual([0, 0]);
  });

  it("exits 1 on an arc that is not an OID", async () => {
    const r = await overstapLine(["ldap-schema", "--arc", "1.3.x"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("not a numeric OID");
  });
});
