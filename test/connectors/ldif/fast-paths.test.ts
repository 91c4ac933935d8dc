/**
 * The fast paths of the LDIF target against the reference code they stand in for: tree keys
 * against `normalizeDn`, the content scanner against the full parser, entries kept as text
 * against their parsed attributes, and the directory's canonical output against
 * `formatCanonicalLdif`. Inputs are random but seeded, so a failure can be reproduced.
 */
import { describe, expect, it } from "vitest";
import { canonicalAttrs, formatCanonicalLdif } from "../../../connectors/ldif/canonical.js";
import { scanCanonicalLdif } from "../../../connectors/ldif/canonical-scan.js";
import { Directory } from "../../../connectors/ldif/directory.js";
import { parseEntryText } from "../../../connectors/ldif/entry-text.js";
import { foldLine, formatLdifRecord, needsBase64 } from "../../../connectors/ldif/format.js";
import { parseLdif, parseLdifText, type ScannedEntry, scanLdif } from "../../../connectors/ldif/parse.js";
import type { LdifRecord } from "../../../connectors/ldif/record.js";
import { classifier } from "../../../connectors/ldif/target.js";
import { treeKey } from "../../../connectors/ldif/tree-key.js";
import { OverstapError } from "../../../src/errors.js";
import { escapeDnValue, formatDn, normalizeDn, parseDn } from "../../../src/model/dn.js";
import { attrValues } from "../../../src/model/entry.js";
import type { Operation } from "../../../src/model/operation.js";
import { contentFileOf } from "../../support/content-file.js";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The tree key as the canonical order used to compute it: RDNs of the normal form, root first. */
function referenceKey(dn: string): string {
  return parseDn(normalizeDn(dn))
    .reverse()
    .map((rdn) => formatDn([rdn]))
    .join("\0");
}

async function scan(text: string): Promise<Array<ScannedEntry | LdifRecord>> {
  const out: Array<ScannedEntry | LdifRecord> = [];
  await scanLdif([Buffer.from(text, "utf8")], { source: "t.ldif" }, (r) => out.push(r));
  return out;
}

describe("treeKey", () => {
  it("has the normal form of normalizeDn for 5,000 random DNs, plain and escaped", () => {
    const rand = rng(11);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)] as T;
    const types = ["cn", "CN", "uid", "Ou", "dc", "2.5.4.3", " cn ", "o"];
    const chars = [
      "a",
      "B",
      "z",
      "0",
      "9",
      " ",
      ".",
      "-",
      "@",
      "_",
      "#",
      "é",
      ",",
      "+",
      '"',
      "\\",
      "<",
      ";",
      "=",
    ];
    let plain = 0;
    for (let i = 0; i < 5000; i++) {
      const rdns: string[] = [];
      const count = 1 + Math.floor(rand() * 4);
      for (let r = 0; r < count; r++) {
        let value = "";
        const length = Math.floor(rand() * 6);
        for (let c = 0; c < length; c++) value += pick(chars);
        const raw = rand() < 0.3 ? value.replace(/[,+"\\<>;=]/g, "") : escapeDnValue(value);
        rdns.push(`${pick(types)}=${raw}`);
      }
      const dn = rdns.join(pick([",", ",", ", ", ";"]));
      let expected: string | null = null;
      try {
        expected = referenceKey(dn);
      } catch {
        expected = null;
      }
      if (expected === null) {
        expect(() => treeKey(dn), dn).toThrow(TypeError);
        continue;
      }
      expect(treeKey(dn), JSON.stringify(dn)).toBe(expected);
      if (dn.toLowerCase().split(",").reverse().join("\0") === expected) plain += 1;
    }
    expect(plain).toBeGreaterThan(500);
  });

  it("orders parents before children and siblings by normalized DN", () => {
    const dns = [
      "uid=b,ou=x,dc=nl",
      "ou=x,dc=nl",
      "uid=a,ou=x,dc=nl",
      "dc=nl",
      "ou=x-y,dc=nl",
      "ou=X\\,y,dc=nl",
    ];
    expect([...dns].sort((a, b) => (treeKey(a) < treeKey(b) ? -1 : 1))).toEqual([
      "dc=nl",
      "ou=x,dc=nl",
      "uid=a,ou=x,dc=nl",
      "uid=b,ou=x,dc=nl",
      "ou=x-y,dc=nl",
      "ou=X\\,y,dc=nl",
    ]);
  });
});

const NAMES = ["objectClass", "objectclass", "cn", "CN", "mail", "member", "description", "sn", "uid"];
const VALUES = [
  "a",
  "b",
  "Zoë",
  " lead",
  "trail ",
  "x".repeat(90),
  ":colon",
  "<less",
  "",
  "a\nb",
  "ë".repeat(40),
];

/** A random LDIF rendering of `attrs` under `dn`: any order, folding, spacing, base64, comments, CRLF. */
function randomRecord(rand: () => number, dn: string, lines: Array<[string, string]>): string {
  const eol = rand() < 0.1 ? "\r\n" : "\n";
  const out: string[] = [];
  const line = (name: string, value: string) => {
    const b64 = rand() < 0.15 || needsBase64(value);
    let text = b64
      ? `${name}:: ${Buffer.from(value).toString("base64")}`
      : value === ""
        ? `${name}:${rand() < 0.3 ? " " : ""}`
        : `${name}:${rand() < 0.2 ? "" : rand() < 0.2 ? "  " : " "}${value}`;
    if (text.length > 20 && rand() < 0.3) {
      const at = 10 + Math.floor(rand() * 8);
      text = `${text.slice(0, at)}${eol} ${text.slice(at)}`;
    } else if (rand() < 0.9) text = foldLine(text).slice(0, -1).replaceAll("\n", eol);
    return text;
  };
  if (rand() < 0.05) out.push("# a comment");
  out.push(line("dn", dn));
  for (const [name, value] of lines) out.push(line(name, value));
  return `${out.join(eol)}${eol}${eol}`;
}

describe("scanLdif", () => {
  it("reads 2,000 random records like parseLdif, and says canonical exactly when they are", async () => {
    const rand = rng(5);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)] as T;
    const counts = { canonical: 0, plain: 0, raw: 0 };
    for (let i = 0; i < 2000; i++) {
      const dn = `uid=p${i},ou=people,dc=school,dc=nl`;
      const lines: Array<[string, string]> = [];
      const count = 1 + Math.floor(rand() * 8);
      for (let k = 0; k < count; k++) lines.push([pick(NAMES), pick(VALUES)]);
      const parsed = parseLdifText(randomRecord(rand, dn, lines))[0] as LdifRecord & { kind: "content" };
      const canonical = formatLdifRecord({ kind: "content", dn, attrs: canonicalAttrs(parsed.attrs) });
      const text = rand() < 0.4 ? canonical : randomRecord(rand, dn, lines);
      const reference = parseLdifText(text)[0] as LdifRecord & { kind: "content" };
      const [entry] = (await scan(text)) as [ScannedEntry];
      expect(entry.kind).toBe("entry");
      expect(entry.dn).toBe(dn);
      expect(entry.line).toBe(reference.line);
      expect([...new Set(entry.objectClass)]).toEqual(attrValues(reference.attrs, "objectClass"));
      expect(parseEntryText(entry.text, entry.form), JSON.stringify(text)).toEqual(reference.attrs);
      expect(Object.keys(parseEntryText(entry.text, entry.form))).toEqual(Object.keys(reference.attrs));
      expect(entry.form === "canonical", JSON.stringify(text)).toBe(text === canonical);
      counts[entry.form] += 1;
    }
    expect(counts.canonical).toBeGreaterThan(500);
    expect(counts.plain).toBeGreaterThan(100);
    expect(counts.raw).toBeGreaterThan(100);
  });

  it("says canonical for every entry of a file the canonical writer wrote", async () => {
    const entries = Array.from({ length: 50 }, (_, i) => ({
      dn: `cn=Zoë ${i},ou=groups,dc=school,dc=nl`,
      attrs: { objectClass: ["groupOfNames"], cn: [`Zoë ${i}`], member: VALUES.map((v) => `uid=${v}${i}`) },
    }));
    const records = await scan([...formatCanonicalLdif(entries)].join(""));
    expect(records.map((r) => (r as ScannedEntry).form)).toEqual(entries.map(() => "canonical"));
  });

  it.each([
    ["a URL value", "dn: cn=a\njpegPhoto:< file:///etc/passwd\n", "t.ldif:2:", "URL"],
    ["a line without colon", "version: 1\n\ndn: cn=a\nbroken\n", "t.ldif:4:", "colon"],
    ["malformed base64", "dn: cn=a\ncn:: !!!\n", "t.ldif:2:", "base64"],
    ["base64 of binary data", "dn: cn=a\ncn:: /w==\n", "t.ldif:2:", "not UTF-8"],
    ["an invalid attribute name", "dn: cn=a\nc n: x\n", "t.ldif:2:", "attribute name"],
    ["a record not starting with dn", "cn: a\n", "t.ldif:1:", 'expected "dn:"'],
    ["controls", "dn: cn=a\ncontrol: 1.2.3 true\nchangetype: delete\n", "t.ldif:2:", "control"],
    ["bytes that are not UTF-8", "dn: cn=a\ncn: x\n\ndn: cn=b\ncn: \u{fffd}\n", "t.ldif:5:", "UTF-8"],
  ])("refuses %s as parseLdif does", async (_name, text, where, words) => {
    const bytes = Buffer.from(text.replace("\u{fffd}", "\u{e9}"), "latin1");
    const errors: string[] = [];
    for (const run of [
      () => scanLdif([bytes], { source: "t.ldif" }, () => {}),
      async () => {
        for await (const _ of parseLdif([bytes], { source: "t.ldif" })) void _;
      },
    ]) {
      const err = await run().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OverstapError);
      errors.push((err as OverstapError).message);
    }
    expect(errors[0]).toBe(errors[1]);
    expect(errors[0]).toContain(where);
    expect(errors[0]).toContain(words);
  });

  it.each([1, 5, 64, 4096, 1 << 20])(
    "places every record of a mixed file by its bytes, read in chunks of %i bytes",
    async (size) => {
      const rand = rng(size);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)] as T;
      let text = "version: 1\n\n\n";
      for (let i = 0; i < 300; i++) {
        const lines: Array<[string, string]> = [];
        for (let k = 0; k < 1 + Math.floor(rand() * 6); k++) lines.push([pick(NAMES), pick(VALUES)]);
        const record = randomRecord(rand, `cn=Zoë ${i},dc=nl`, lines);
        // Half of them with a raw UTF-8 value, so characters and bytes differ.
        const eol = record.endsWith("\r\n\r\n") ? "\r\n" : "\n";
        const utf8 = rand() < 0.5 ? `description: ça va, Zoë ${i}${eol}` : "";
        text += record.slice(0, -eol.length) + utf8 + eol + (rand() < 0.2 ? "\n" : "");
      }
      const bytes = Buffer.from(text);
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      const entries: ScannedEntry[] = [];
      await scanLdif(chunks, { source: "t.ldif" }, (r) => entries.push(r as ScannedEntry));
      expect(entries).toHaveLength(300);
      for (const e of entries) expect(bytes.toString("utf8", e.offset, e.offset + e.bytes)).toBe(e.text);
    },
  );

  it("hands change records over parsed", async () => {
    const records = await scan("dn: cn=a,dc=nl\nchangetype: delete\n\ndn: cn=b,dc=nl\ncn: b\n");
    expect(records.map((r) => r.kind)).toEqual(["delete", "entry"]);
  });
});

describe("scanCanonicalLdif", () => {
  const entries = Array.from({ length: 40 }, (_, i) => ({
    dn: i % 7 === 0 ? `cn=Zoë ${"x".repeat(i * 3)},ou=groups,dc=school,dc=nl` : `uid=p${i},ou=people,dc=nl`,
    attrs: {
      objectClass: i % 5 === 0 ? ["top", " odd", "groupOfNames"] : ["inetOrgPerson"],
      cn: [`Zoë ${i}`],
      member: i % 7 === 0 ? VALUES.map((v) => `uid=${v}${i}`) : [],
    },
  }));
  const text = [...formatCanonicalLdif(entries)].join("");

  it.each([1, 7, 64, 1 << 20])(
    "reads canonical LDIF in chunks of %i bytes as scanLdif does",
    async (size) => {
      const bytes = Buffer.from(text);
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      const fast: ScannedEntry[] = [];
      expect(await scanCanonicalLdif(chunks, (e) => fast.push(e))).toBe(true);
      const full = (await scan(text)) as ScannedEntry[];
      expect(full.every((e) => e.form === "canonical")).toBe(true);
      expect(fast.map(({ line: _, ...e }) => e)).toEqual(full.map(({ line: _, ...e }) => e));
      expect(fast).toHaveLength(40);
      for (const e of fast) expect(bytes.toString("utf8", e.offset, e.offset + e.bytes)).toBe(e.text);
    },
  );

  it.each([
    ["no version line", text.slice("version: 1\n\n".length)],
    ["a comment", text.replace("\n\ndn:", "\n\n# note\ndn:")],
    ["CRLF line ends", text.replaceAll("\n", "\r\n")],
    ["a raw non-ASCII value", text.replace("cn:: ", "cn: Zoë\ncn:: ")],
    ["a missing blank line at the end", text.slice(0, -1)],
    ["a record that does not start with dn", text.replace("\n\ndn:", "\n\ncn: x\ndn:")],
  ])("gives up on %s", async (_name, input) => {
    expect(await scanCanonicalLdif([Buffer.from(input)], () => {})).toBe(false);
  });
});

describe("Directory kept as text", () => {
  it("writes the same canonical LDIF as formatCanonicalLdif, before and after changes", async () => {
    const rand = rng(9);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)] as T;
    let text = "version: 1\n\n";
    for (let i = 0; i < 300; i++) {
      const cls = pick(["inetOrgPerson", "groupOfNames", "organizationalUnit"]);
      const lines: Array<[string, string]> = [["objectClass", cls]];
      for (let k = 0; k < 5; k++) lines.push([pick(NAMES.slice(2)), pick(VALUES)]);
      const record = randomRecord(rand, `uid=p${i},ou=${pick(["a", "B", "c"])},dc=nl`, lines);
      const canonical = formatLdifRecord({
        kind: "content",
        dn: `uid=p${i},ou=x,dc=nl`,
        attrs: canonicalAttrs((parseLdifText(record)[0] as LdifRecord & { kind: "content" }).attrs),
      });
      text += rand() < 0.5 ? record : canonical;
    }
    const classify = classifier(["inetOrgPerson"], ["groupOfNames"]);
    const content = contentFileOf(text);
    const dir = new Directory(classify, content);
    const forms = new Set<string>();
    for (const r of await scan(text)) {
      const e = r as ScannedEntry;
      forms.add(e.form);
      dir.loadAt(e.dn, e.offset, e.bytes, e.form, classify({ objectClass: e.objectClass }));
    }
    expect([...forms].sort()).toEqual(["canonical", "plain", "raw"]);
    const reference = (d: Directory) =>
      [...formatCanonicalLdif([...d.entries()].map((e) => ({ dn: e.key, attrs: e.attrs })))].join("");
    expect([...dir.canonicalLdif()].join("")).toBe(reference(dir));
    expect(parseLdifText([...dir.canonicalLdif()].join("")).length).toBe(300);
    for (let i = 0; i < 100; i++) {
      const key = `UID=p${Math.floor(rand() * 300)}, ou=x,dc=nl`;
      const op: Operation = {
        seq: i,
        kind: "update",
        type: "person",
        key,
        changes: [{ attr: "mail", add: [`m${i}@x.nl`] }],
        fingerprint: null,
      };
      try {
        dir.apply(op);
      } catch (err) {
        if (!(err instanceof OverstapError)) throw err;
      }
    }
    expect([...dir.canonicalLdif()].join("")).toBe(reference(dir));
    expect([...dir.ordered()].map((e) => e.key)).toEqual(
      parseLdifText([...dir.canonicalLdif()].join("")).map((r) => r.dn),
    );
  });
});
