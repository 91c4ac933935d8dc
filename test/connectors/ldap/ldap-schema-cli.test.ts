import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Command } from "commander";
import { afterEach, describe, expect, it } from "vitest";
import { register } from "../../../src/cli/ldap-schema.js";

function program(): Command {
  const p = new Command("overstap").option("--json").option("-q, --quiet").option("--debug").exitOverride();
  register(p);
  return p;
}

describe("overstap ldap-schema", () => {
  let dir = "";
  afterEach(async () => {
    process.exitCode = 0;
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("writes the nlEduPerson schema under the given arc in both formats", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "overstap-schema-"));
    const ldif = path.join(dir, "nl.ldif");
    const schema = path.join(dir, "nl.schema");
    await program().parseAsync(["ldap-schema", "-q", "--arc", "1.3.6.1.4.1.4711.2", "--out", ldif], {
      from: "user",
    });
    await program().parseAsync(
      ["ldap-schema", "-q", "--arc", "1.3.6.1.4.1.4711.2", "--format", "schema", "--out", schema],
      {
        from: "user",
      },
    );
    expect(await readFile(ldif, "utf8")).toMatch(
      /olcAttributeTypes: \( 1\.3\.6\.1\.4\.1\.4711\.2\.1\.1\n {2}NAME 'nlEduPersonHomeOrganizationId'/,
    );
    expect(await readFile(schema, "utf8")).toMatch(
      /objectclass \( 1\.3\.6\.1\.4\.1\.4711\.2\.2\.1\n {2}NAME 'nlEduPerson'/,
    );
    expect(process.exitCode).toBe(0);
  });

  it("exits 1 on an arc that is not an OID", async () => {
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => errors.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      await program().parseAsync(["ldap-schema", "--arc", "1.3.x"], { from: "user" });
    } finally {
      process.stderr.write = write;
    }
    expect(process.exitCode).toBe(1);
    expect(errors.join("")).toContain("not a numeric OID");
  });
});
