/**
 * Issue 14, findings 3 to 5, through the CLI: a plan edited with a recomputed plain hash is
 * refused, a plan from another project is refused, `approval: required` binds apply to the
 * approved fingerprint, working files never follow a planted link, and a killed plan's spools
 * are removed by the next plan.
 */
import { createHash } from "node:crypto";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { planFingerprint } from "../../src/plan/fingerprint.js";
import { createPrivateFile, ensurePrivateFile } from "../../src/state/files.js";
import { overstap } from "../support/cli.js";
import { configText, schoolMapping } from "../support/spine.js";

const root = mkdtempSync(path.join(tmpdir(), "overstap-ownership-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const LDIF = [
  "version: 1",
  "",
  "dn: dc=school,dc=nl\nobjectClass: dcObject\nobjectClass: organization\ndc: school\no: Testschool",
  "",
  "dn: ou=people,dc=school,dc=nl\nobjectClass: organizationalUnit\nou: people",
  "",
].join("\n");

/** A project folder: two pupils in a JSON export, an LDIF directory, pulled. */
async function project(name: string, extra = "", institution = "Testschool"): Promise<string> {
  const dir = path.join(root, name);
  const files = {
    "overstap.yaml": configText(extra)
      .replace("name: Testschool", `name: ${institution}`)
      .replace("profile: entree", "profile: none"),
    "mapping.yaml": schoolMapping(`    eduPersonAffiliation: "{{ roles }}"\n`),
    "people.jsonl": [
      '{"kind":"person","id":"1","givenName":"Piet","surname":"Puk","roles":["student"]}',
      '{"kind":"person","id":"2","givenName":"Zoë","surname":"Çelik","roles":["student"]}',
      "",
    ].join("\n"),
    "target.ldif": LDIF,
  };
  mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(path.join(dir, f), text, { mode: 0o600 });
  const pulled = await overstap(path.join(dir, "overstap.yaml"), "pull");
  expect(pulled.code, pulled.stderr).toBe(0);
  return dir;
}

const cfg = (dir: string) => path.join(dir, "overstap.yaml");

async function planIn(dir: string, out = path.join(dir, "all.plan")): Promise<string> {
  const planned = await overstap(cfg(dir), "plan", "--stage", "all", "--out", out);
  expect(planned.code, planned.stderr).toBe(0);
  return out;
}

/** Edits a plan as a forger would: a password on every create, the plain hash recomputed. */
function forge(file: string): void {
  const lines = readFileSync(file, "utf8").trimEnd().split("\n");
  const trailer = JSON.parse(lines.pop() as string) as { hash: string };
  const edited = lines.map((line) => {
    const value = JSON.parse(line) as { op?: { kind: string; attrs?: Record<string, string[]> } };
    if (value.op?.kind === "create" && value.op.attrs) value.op.attrs.userPassword = ["geheim"];
    return JSON.stringify(value);
  });
  expect(edited.join("\n")).toContain("userPassword");
  const body = `${edited.join("\n")}\n`;
  trailer.hash = createHash("sha256").update(body).digest("hex");
  writeFileSync(file, `${body}${JSON.stringify(trailer)}\n`);
}

describe("plans bound to their content and project", () => {
  it("refuses a forged plan whose plain hash was recomputed, and leaves the target alone", async () => {
    const dir = await project("forged");
    const file = await planIn(dir);
    const before = readFileSync(path.join(dir, "target.ldif"));
    forge(file);
    const applied = await overstap(cfg(dir), "apply", file);
    expect(applied.code, applied.stderr).toBe(3);
    expect(applied.stderr).toContain("PLAN_TAMPERED");
    expect(readFileSync(path.join(dir, "target.ldif")).equals(before)).toBe(true);
  });

  it("refuses a plan made by another project, naming both sides", async () => {
    const a = await project("board-a");
    const b = await project("board-b", "", "Stichting Ander");
    const file = await planIn(a);
    const applied = await overstap(cfg(b), "apply", file);
    expect(applied.code, applied.stderr).toBe(3);
    expect(applied.stderr).toContain("PLAN_FOREIGN");
    expect(applied.stderr).toContain("Testschool");
    expect(applied.stderr).toContain("Stichting Ander");
    const runs = await overstap(cfg(b), "runs", "--json");
    expect(JSON.parse(runs.stdout)).toEqual([]);
  });

  it("shows the fingerprint in the plan, and with approval: required applies only the approved fingerprint", async () => {
    const dir = await project("approved", "approval: required\n");
    const out = path.join(dir, "all.plan");
    const planned = await overstap(cfg(dir), "plan", "--stage", "all", "--out", out);
    const lines = readFileSync(out, "utf8").trimEnd().split("\n");
    const fp = planFingerprint((JSON.parse(lines.at(-1) as string) as { hash: string }).hash);
    expect(planned.stdout).toContain(`Fingerprint: ${fp}`);
    const refused = await overstap(cfg(dir), "apply", out);
    expect(refused.code, refused.stderr).toBe(3);
    expect(refused.stderr).toContain("PLAN_UNAPPROVED");
    const wrong = await overstap(
      cfg(dir),
      "approve",
      out,
      "--by",
      "J. de Vries",
      "--fingerprint",
      "AAAA-AAAA-AAAA-AAAA",
    );
    expect(wrong.code).toBe(3);
    const approved = await overstap(cfg(dir), "approve", out, "--by", "J. de Vries", "--fingerprint", fp);
    expect(approved.code, approved.stderr).toBe(0);
    const applied = await overstap(cfg(dir), "apply", out, "--force");
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout.split("\n")[0]).toContain(`fingerprint ${fp}`);
  });
});

describe("working files", () => {
  it("never write through a link planted at their name", () => {
    const dir = mkdtempSync(path.join(root, "links-"));
    const victim = path.join(dir, "victim.txt");
    writeFileSync(victim, "keep me", { mode: 0o644 });
    const planted = path.join(dir, ".pilot.plan.1234.0123456789ab.ops");
    symlinkSync(victim, planted);
    expect(() => createPrivateFile(planted)).toThrow(/exists already|link/);
    expect(() => ensurePrivateFile(planted)).toThrow(/symbolic link/);
    expect(readFileSync(victim, "utf8")).toBe("keep me");
    expect(lstatSync(victim).mode & 0o777).toBe(0o644);
  });

  it("a plan replaces a link at the plan's own name instead of writing through it", async () => {
    const dir = await project("plan-link");
    const victim = path.join(dir, "victim.txt");
    writeFileSync(victim, "keep me", { mode: 0o644 });
    symlinkSync(victim, path.join(dir, "all.plan"));
    await planIn(dir);
    expect(readFileSync(victim, "utf8")).toBe("keep me");
    expect(lstatSync(path.join(dir, "all.plan")).isSymbolicLink()).toBe(false);
  });

  it("a killed plan's spools are removed by the next plan; another process's are kept", async () => {
    const dir = await project("stale");
    const dead = [
      ".all.plan.999999.0123456789ab.ops",
      ".all.plan.999999.0123456789ab.attrs.1",
      ".all.plan.999999.ba9876543210.tmp",
    ];
    for (const name of dead)
      writeFileSync(path.join(dir, name), '{"mail":["piet@school.nl"]}\n', { mode: 0o600 });
    const alive = `.all.plan.${process.pid}.0123456789ab.ops`;
    writeFileSync(path.join(dir, alive), "", { mode: 0o600 });
    await planIn(dir);
    const left = readdirSync(dir).filter((n) => n.startsWith(".all.plan."));
    expect(left).toEqual([alive]);
    for (const name of dead) expect(existsSync(path.join(dir, name))).toBe(false);
  });

  it("doctor names what protect: keeps unchanged, removes a killed plan's leftovers and writes nothing else", async () => {
    const dir = await project(
      "doctor",
      'protect: { objects: [{ dn: "cn=beheerders,ou=groups,dc=school,dc=nl" }] }\n',
    );
    writeFileSync(
      path.join(dir, "target.ldif"),
      `${LDIF}\ndn: cn=beheerders,ou=groups,dc=school,dc=nl\nobjectClass: groupOfNames\ncn: beheerders\nmember: uid=x,ou=people,dc=school,dc=nl\n\ndn: cn=5A,ou=groups,dc=school,dc=nl\nobjectClass: groupOfNames\ncn: 5A\nmember: uid=x,ou=people,dc=school,dc=nl\n`,
    );
    const stale = path.join(dir, ".all.plan.999999.0123456789ab.attrs");
    writeFileSync(stale, "{}\n", { mode: 0o600 });
    const doctor = await overstap(cfg(dir), "doctor");
    expect(doctor.stdout).toContain("protect: 1 rule(s) (dn cn=beheerders,ou=groups,dc=school,dc=nl)");
    expect(doctor.stdout).toContain("groups Overstap did not create keep their members");
    expect(doctor.stdout).toContain("removed 1 working file(s)");
    expect(existsSync(stale)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.startsWith("target.ldif"))).toEqual(["target.ldif"]);
  });
});
