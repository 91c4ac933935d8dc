import { describe, expect, it } from "vitest";
import { canonicalAttrs, canonicalOrder, formatCanonicalLdif } from "../../../connectors/ldif/canonical.js";
import {
  formatLdifLine,
  formatLdifRecord,
  LDIF_LINE_WIDTH,
  needsBase64,
} from "../../../connectors/ldif/format.js";
import { parseLdifText } from "../../../connectors/ldif/parse.js";
import type { LdifEntry, LdifRecord } from "../../../connectors/ldif/record.js";
import { escapeDnValue } from "../../../src/model/dn.js";

const TRICKY = [
  "Puk, Piet",
  "a+b",
  'say "hi"',
  "back\\slash",
  "<angle>",
  "semi;colon",
  "x=y",
  "#hash",
  " leading space",
  "trailing space ",
  "nul\0inside",
  "two\nlines",
  "cr\rhere",
  ":colon first",
  "<less first",
  "Zoë",
  "Çelik",
  "Nguyễn Văn An",
  "Ødegård",
  "",
  "x".repeat(300),
  "ë".repeat(100),
];

describe("needsBase64", () => {
  it.each([
    ["plain", false],
    ["", false],
    ["#hash", false],
    [" lead", true],
    [":x", true],
    ["<x", true],
    ["trail ", true],
    ["a\0b", true],
    ["a\nb", true],
    ["a\rb", true],
    ["Zoë", true],
  ])("%j → %s", (value, expected) => {
    expect(needsBase64(value)).toBe(expected);
  });
});

describe("formatLdifRecord", () => {
  it("round-trips values and DNs with special characters through the parser", () => {
    for (const value of TRICKY) {
      const dn = `cn=${escapeDnValue(value || "empty")},ou=people,dc=school,dc=nl`;
      const record: LdifRecord = {
        kind: "content",
        dn,
        attrs: { cn: [value], description: [value, `${value}2`] },
      };
      const text = formatLdifRecord(record);
      const [back] = parseLdifText(text);
      expect(back).toEqual({ ...record, line: 1 });
    }
  });

  it("writes ASCII only and folds every line at 76 columns", () => {
    const text = TRICKY.map((v) => formatLdifLine("description", v)).join("");
    for (const line of text.split("\n")) {
      expect(line.length).toBeLessThanOrEqual(LDIF_LINE_WIDTH);
      expect(/^[\x20-\x7e]*$/.test(line)).toBe(true);
    }
    expect(text.split("\n").some((l) => l.length === LDIF_LINE_WIDTH)).toBe(true);
  });

  it("writes change records in the form ldapmodify accepts", () => {
    const records: LdifRecord[] = [
      { kind: "add", dn: "uid=zoe,dc=nl", attrs: { objectClass: ["inetOrgPerson"], sn: ["Zoë"] } },
      {
        kind: "modify",
        dn: "cn=3a,dc=nl",
        mods: [
          { op: "add", attr: "member", values: ["uid=a,dc=nl"] },
          { op: "delete", attr: "member", values: ["uid=b,dc=nl"] },
          { op: "delete", attr: "description", values: [] },
          { op: "replace", attr: "sn", values: ["Puk"] },
        ],
      },
      { kind: "modrdn", dn: "uid=a,dc=nl", newRdn: "uid=b", deleteOldRdn: true, newSuperior: "ou=x,dc=nl" },
      { kind: "delete", dn: "uid=b,ou=x,dc=nl" },
    ];
    const text = records.map(formatLdifRecord).join("");
    expect(text).toBe(`dn: uid=zoe,dc=nl
changetype: add
objectClass: inetOrgPerson
sn:: Wm/Dqw==

dn: cn=3a,dc=nl
changetype: modify
add: member
member: uid=a,dc=nl
-
delete: member
member: uid=b,dc=nl
-
delete: description
-
replace: sn
sn: Puk
-

dn: uid=a,dc=nl
changetype: modrdn
newrdn: uid=b
deleteoldrdn: 1
newsuperior: ou=x,dc=nl

dn: uid=b,ou=x,dc=nl
changetype: delete

`);
    expect(parseLdifText(text).map(({ line: _, ...r }) => r)).toEqual(records);
  });
});

describe("canonical form", () => {
  const entries: LdifEntry[] = [
    {
      dn: "uid=b,ou=People,dc=school,dc=nl",
      attrs: { sn: ["B"], objectClass: ["top", "inetOrgPerson"], Mail: ["z@x", "a@x"], cn: ["B"] },
    },
    { dn: "dc=school,dc=nl", attrs: { objectClass: ["domain"], dc: ["school"] } },
    { dn: "uid=a,ou=people,dc=school,dc=nl", attrs: { objectClass: ["inetOrgPerson"], uid: ["a"] } },
    { dn: "ou=people,dc=school,dc=nl", attrs: { objectClass: ["organizationalUnit"] } },
    { dn: "ou=groups,dc=school,dc=nl", attrs: { objectClass: ["organizationalUnit"] } },
    { dn: "cn=3a,ou=groups,dc=school,dc=nl", attrs: { objectClass: ["groupOfNames"] } },
  ];

  it("puts parents before children and orders siblings by normalized DN", () => {
    expect(canonicalOrder(entries).map((e) => e.dn)).toEqual([
      "dc=school,dc=nl",
      "ou=groups,dc=school,dc=nl",
      "cn=3a,ou=groups,dc=school,dc=nl",
      "ou=people,dc=school,dc=nl",
      "uid=a,ou=people,dc=school,dc=nl",
      "uid=b,ou=People,dc=school,dc=nl",
    ]);
  });

  it("puts objectClass first, then attributes case-insensitively, values sorted", () => {
    const attrs = canonicalAttrs({
      sn: ["B"],
      objectClass: ["top", "inetOrgPerson"],
      Mail: ["z@x", "a@x"],
      cn: ["B"],
    });
    expect(Object.entries(attrs)).toEqual([
      ["objectClass", ["inetOrgPerson", "top"]],
      ["cn", ["B"]],
      ["Mail", ["a@x", "z@x"]],
      ["sn", ["B"]],
    ]);
  });

  it("gives the same bytes for the same state, whatever the input order", () => {
    const a = [...formatCanonicalLdif(entries)].join("");
    const shuffled = [...entries]
      .reverse()
      .map((e) => ({ dn: e.dn, attrs: Object.fromEntries(Object.entries(e.attrs).reverse()) }));
    expect([...formatCanonicalLdif(shuffled)].join("")).toBe(a);
    expect(a.startsWith("version: 1\n\ndn: dc=school,dc=nl\nobjectClass: domain\ndc: school\n\n")).toBe(true);
  });
});
