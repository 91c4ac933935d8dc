import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canonicalAttrs } from "../../../connectors/ldif/canonical.js";
import ldif from "../../../connectors/ldif/index.js";
import { parseLdifText } from "../../../connectors/ldif/parse.js";
import { type LdifTarget, openLdifTarget } from "../../../connectors/ldif/target.js";
import { isOverstapError, type OverstapError } from "../../../src/errors.js";
import type { TargetConnector } from "../../../src/model/connector.js";
import type { Operation } from "../../../src/model/operation.js";
import type { TargetEntry } from "../../../src/model/target-entry.js";
import { contextFor } from "./context.js";

const run = promisify(execFile);
const BASE = "dc=school,dc=nl";
const SEED = `version: 1

dn: ${BASE}
objectClass: domain
dc: school

dn: ou=people,${BASE}
objectClass: organizationalUnit
ou: people

dn: ou=groups,${BASE}
objectClass: organizationalUnit
ou: groups

dn: uid=piet,ou=people,${BASE}
objectClass: inetOrgPerson
uid: piet
cn: Piet Puk
sn: Puk

dn: cn=3a,ou=groups,${BASE}
objectClass: groupOfNames
cn: 3a
member: uid=piet,ou=people,${BASE}

`;

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "overstap-ldif-"));
  file = path.join(dir, "directory.ldif");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function open(): Promise<LdifTarget> {
  return openLdifTarget(
    {
      type: "ldif",
      file,
      personClasses: ["inetOrgPerson"],
      groupClasses: ["groupOfNames", "groupOfUniqueNames"],
    },
    { name: "target", baseDir: dir },
  );
}

async function all(t: TargetConnector): Promise<TargetEntry[]> {
  const out: TargetEntry[] = [];
  for await (const e of t.read()) out.push(e);
  return out;
}

const zoe = `uid=zoe,ou=people,${BASE}`;
const ops: Operation[] = [
  {
    seq: 1,
    kind: "create",
    type: "person",
    key: zoe,
    attrs: {
      objectClass: ["inetOrgPerson"],
      uid: ["zoe"],
      cn: ["Zoë Çelik"],
      sn: ["Çelik"],
      description: [" lead", "trail ", "a\nb"],
    },
    fingerprint: null,
  },
  {
    seq: 2,
    kind: "add-members",
    type: "group",
    key: `cn=3a,ou=groups,${BASE}`,
    changes: [{ attr: "member", add: [zoe] }],
    fingerprint: "x",
  },
  {
    seq: 3,
    kind: "update",
    type: "person",
    key: `uid=piet,ou=people,${BASE}`,
    changes: [{ attr: "sn", replace: ["Puk-Nguyễn"] }],
    fingerprint: "x",
  },
  {
    seq: 4,
    kind: "rename",
    type: "person",
    key: zoe,
    newKey: `uid=zoe.celik,ou=people,${BASE}`,
    changes: [{ attr: "uid", replace: ["zoe.celik"] }],
    fingerprint: "x",
  },
  { seq: 5, kind: "delete", type: "person", key: `uid=piet,ou=people,${BASE}`, fingerprint: "x" },
];

describe("LDIF target", () => {
  it("is created through the connector module with its config validated", async () => {
    const yaml = `target:\n  type: ldif\n  file: ./out/dir.ldif\n  personClasses: []\n`;
    const { ctx, config } = contextFor(yaml, "target", dir, "target");
    const err = await ldif.target?.(config, ctx).catch((e: unknown) => e);
    expect(isOverstapError(err, "CONFIG_INVALID")).toBe(true);
    expect((err as OverstapError).message).toContain("overstap.yaml:4: target.personClasses");

    const ok = contextFor(`target:\n  type: ldif\n  file: ./out/dir.ldif\n`, "target", dir, "target");
    const t = (await ldif.target?.(ok.config, ok.ctx)) as LdifTarget;
    expect(t.file).toBe(path.join(dir, "out", "dir.ldif"));
    await t.close();
    expect((await stat(t.file)).mode & 0o777).toBe(0o600);
  });

  it("reads persons and groups by objectClass, keeping containers in the file", async () => {
    await writeFile(file, SEED);
    const t = await open();
    expect((await all(t)).map((e) => [e.type, e.key])).toEqual([
      ["group", `cn=3a,ou=groups,${BASE}`],
      ["person", `uid=piet,ou=people,${BASE}`],
    ]);
    expect(await t.get(`UID=Piet, OU=People,${BASE}`, "person")).toMatchObject({ attrs: { sn: ["Puk"] } });
    expect(await t.get(`uid=piet,ou=people,${BASE}`, "group")).toBeNull();
    await t.close();
    const written = await readFile(file, "utf8");
    const entries = (text: string) =>
      new Map(parseLdifText(text).map((r) => [r.dn, r.kind === "content" ? canonicalAttrs(r.attrs) : null]));
    expect(entries(written).size).toBe(5);
    expect(entries(written)).toEqual(entries(SEED));
    expect(written.indexOf(`dn: ${BASE}`)).toBeLessThan(written.indexOf(`dn: ou=groups,${BASE}`));
    expect(written.indexOf(`dn: ou=groups,${BASE}`)).toBeLessThan(
      written.indexOf(`dn: cn=3a,ou=groups,${BASE}`),
    );
    await (await open()).close();
    expect(await readFile(file, "utf8")).toBe(written);
  });

  it("applies every operation kind, logs ldapmodify change records, and rewrites the content on close", async () => {
    await writeFile(file, SEED);
    const t = await open();
    const afters = [];
    for (const o of ops) afters.push(await t.apply(o));
    await t.flush?.();
    expect(afters[4]).toBeNull();
    expect(afters[3]?.attrs.uid).toEqual(["zoe.celik"]);
    const log = await readFile(`${file}.changes.ldif`, "utf8");
    expect(log).toContain(
      "dn: cn=3a,ou=groups,dc=school,dc=nl\nchangetype: modify\nadd: member\nmember: uid=zoe,ou=people,dc=school,dc=nl\n-\n",
    );
    expect(log).toContain("changetype: modrdn\nnewrdn: uid=zoe.celik\ndeleteoldrdn: 1\n\n");
    expect(log).toContain("dn: uid=piet,ou=people,dc=school,dc=nl\nchangetype: delete\n");
    expect(parseLdifText(log).map((r) => r.kind)).toEqual(["add", "modify", "modify", "modrdn", "delete"]);
    await t.close();

    const content = await readFile(file, "utf8");
    expect(content).toContain(
      "dn: uid=zoe.celik,ou=people,dc=school,dc=nl\nobjectClass: inetOrgPerson\ncn:: ",
    );
    expect(content).not.toContain("uid=piet,ou=people,dc=school,dc=nl\nobjectClass");
    expect(content).toContain(`member: uid=piet,ou=people,${BASE}`);
    expect(JSON.parse(await readFile(`${file}.applied`, "utf8"))).toMatchObject({ changes: 5 });
    for (const f of [file, `${file}.changes.ldif`, `${file}.applied`])
      expect((await stat(f)).mode & 0o777).toBe(0o600);

    const again = await open();
    const state = await all(again);
    for (const o of ops.slice(3)) await again.apply(o);
    expect(await all(again)).toEqual(state);
    expect(await readFile(`${file}.changes.ldif`, "utf8")).toBe(log);
    await again.close();
    expect(await readFile(file, "utf8")).toBe(content);
  });

  it("replays change records the content file does not include yet (process died before close)", async () => {
    await writeFile(file, SEED);
    const t = await open();
    for (const o of ops.slice(0, 3)) await t.apply(o);
    await t.flush?.();
    const expected = await all(t);
    await rm(`${file}.lock`);
    const reopened = await open();
    expect(await all(reopened)).toEqual(expected);
    await reopened.close();
    expect(JSON.parse(await readFile(`${file}.applied`, "utf8"))).toMatchObject({ changes: 3 });
  });

  it("cuts off a torn tail of the change log", async () => {
    const t = await open();
    await t.apply(ops[0] as Operation);
    await t.flush?.();
    await rm(`${file}.lock`);
    await writeFile(
      `${file}.changes.ldif`,
      "dn: cn=3a,ou=groups,dc=school,dc=nl\nchangetype: modify\nadd: member\nmember: uid=x",
      { flag: "a" },
    );
    const reopened = await open();
    expect((await all(reopened)).map((e) => e.key)).toEqual([zoe]);
    await reopened.apply(ops[2] as Operation).catch(() => undefined);
    await reopened.close();
    expect(parseLdifText(await readFile(`${file}.changes.ldif`, "utf8"))).toHaveLength(1);
  });

  it("finishes a close that died between renaming the content file and its sidecar", async () => {
    await writeFile(file, SEED);
    const t = await open();
    await t.apply(ops[0] as Operation);
    await t.close();
    const applied = await readFile(`${file}.applied`, "utf8");
    const t2 = await open();
    await t2.apply(ops[2] as Operation);
    await t2.close();
    await writeFile(`${file}.applied.next`, await readFile(`${file}.applied`, "utf8"));
    await writeFile(`${file}.applied`, applied);
    const t3 = await open();
    expect((await t3.get(`uid=piet,ou=people,${BASE}`, "person"))?.attrs.sn).toEqual(["Puk-Nguyễn"]);
    await t3.close();
    expect(JSON.parse(await readFile(`${file}.applied`, "utf8"))).toMatchObject({ changes: 2 });
  });

  it("reads a content file in full when its hash matches the marker but its form is not canonical", async () => {
    const content = `# exported by hand\r\n${SEED.replaceAll("\n", "\r\n")}`;
    await writeFile(file, content);
    const sha256 = createHash("sha256").update(content).digest("hex");
    await writeFile(`${file}.applied`, JSON.stringify({ changes: 0, sha256 }));
    const t = await open();
    const read = (await all(t)).map((e) => ({ key: e.key, attrs: canonicalAttrs(e.attrs) }));
    const expected = parseLdifText(SEED)
      .filter((r) => r.kind === "content" && /uid=|cn=/.test(r.dn))
      .map((r) => ({ key: r.dn, attrs: canonicalAttrs(r.kind === "content" ? r.attrs : {}) }))
      .sort((a, b) => (a.key < b.key ? -1 : 1));
    expect(read).toEqual(expected);
    await t.close();
    const rewritten = await readFile(file, "utf8");
    expect(rewritten).not.toContain("\r");
    expect(rewritten.startsWith("version: 1\n\ndn: dc=school,dc=nl\n")).toBe(true);
    const again = await open();
    expect((await all(again)).map((e) => ({ key: e.key, attrs: canonicalAttrs(e.attrs) }))).toEqual(expected);
    await again.close();
    expect(await readFile(file, "utf8")).toBe(rewritten);
  });

  it("refuses a content file edited by hand since overstap wrote it", async () => {
    await writeFile(file, SEED);
    const t = await open();
    await t.apply(ops[0] as Operation);
    await t.close();
    await writeFile(file, SEED);
    const err = await open().catch((e: unknown) => e);
    expect(isOverstapError(err, "TARGET_INVALID")).toBe(true);
    expect((err as OverstapError).message).toContain("changed outside overstap");
  });

  it("reads unchanged entries back from the content file: a replaced file is no matter, one changed in place is refused", async () => {
    await writeFile(file, SEED);
    const t = await open();
    const piet = `uid=piet,ou=people,${BASE}`;
    await writeFile(`${file}.new`, SEED.replace("sn: Puk", "sn: Anders"));
    await rename(`${file}.new`, file);
    expect(await t.get(piet, "person")).toMatchObject({ attrs: { sn: ["Puk"] } });
    await t.close();
    const again = await open();
    await writeFile(file, `# edited\n${SEED}`);
    const err = await again.get(piet, "person").catch((e: unknown) => e);
    expect(isOverstapError(err, "TARGET_INVALID")).toBe(true);
    expect((err as OverstapError).message).toBe(`${file} was changed while overstap was reading it`);
    await again.close().catch(() => undefined);
    expect(await readFile(file, "utf8")).toBe(`# edited\n${SEED}`);
  });

  it("fingerprints its content: the same until a change is applied, then another", async () => {
    await writeFile(file, SEED);
    const t = await open();
    const before = t.fingerprint?.();
    await t.apply(ops[2] as Operation);
    const after = t.fingerprint?.();
    await t.close();
    const reopened = await open();
    expect(before).toMatch(/^[0-9a-f]{64}\+0$/);
    expect(after).not.toBe(before);
    expect(reopened.fingerprint?.()).not.toBe(before);
    await reopened.close();
    await writeFile(file, SEED);
    await rm(`${file}.applied`);
    await rm(`${file}.changes.ldif`);
    const fresh = await open();
    expect(fresh.fingerprint?.()).toBe(before);
    await fresh.close();
  });

  it("leaves a canonical content file alone when closed with nothing applied, and rewrites it after a change", async () => {
    await writeFile(file, SEED);
    await (await open()).close();
    const canonical = await readFile(file, "utf8");
    const written = (await stat(file)).ino;
    const readOnly = await open();
    await all(readOnly);
    await readOnly.close();
    expect((await stat(file)).ino).toBe(written);
    const changed = await open();
    await changed.apply(ops[0] as Operation);
    await changed.close();
    expect((await stat(file)).ino).not.toBe(written);
    expect(await readFile(file, "utf8")).not.toBe(canonical);
    const reopened = await open();
    expect((await all(reopened)).map((e) => e.key)).toContain(zoe);
    await reopened.close();
  });

  it("names the line of a bad entry in the content file and refuses a second writer", async () => {
    await writeFile(file, `${SEED}dn: uid=piet,ou=people,${BASE}\nobjectClass: inetOrgPerson\n`);
    const err = await open().catch((e: unknown) => e);
    expect((err as OverstapError).message).toContain(
      `${file}:26: entry "uid=piet,ou=people,${BASE}" appears twice`,
    );
    await writeFile(file, SEED);
    const t = await open();
    const second = await open().catch((e: unknown) => e);
    expect(isOverstapError(second, "TARGET_UNREACHABLE")).toBe(true);
    await t.close();
  });

  it("keeps the content file parseable by OpenLDAP and the change log replayable with ldapmodify", async () => {
    await writeFile(file, SEED);
    const t = await open();
    for (const o of ops) await t.apply(o);
    await t.close();
    for (const f of [file, `${file}.changes.ldif`]) {
      const { stdout } = await run("ldapmodify", ["-n", "-c", "-a", "-f", f], {
        env: { ...process.env, LDAPURI: "ldap://127.0.0.1:9" },
      });
      expect(stdout).not.toMatch(/error/i);
    }
  });
});
