import { describe, expect, it } from "vitest";
import { parseLdif, parseLdifText } from "../../../connectors/ldif/parse.js";
import type { LdifRecord } from "../../../connectors/ldif/record.js";
import { OverstapError } from "../../../src/errors.js";

function errorOf(text: string): OverstapError {
  try {
    parseLdifText(text, { source: "t.ldif" });
  } catch (err) {
    if (err instanceof OverstapError) return err;
    throw err;
  }
  throw new Error("expected a parse error");
}

describe("parseLdif", () => {
  it("reads content records with version, comments, folding and base64", () => {
    const text = [
      "version: 1",
      "# a comment",
      "#  that is folded",
      "dn: uid=piet,ou=people,",
      " dc=school,dc=nl",
      "objectClass: inetOrgPerson",
      "cn: Piet",
      "  Puk",
      "sn:: w4dlbGlr",
      "description:",
      "cn;lang-nl: Pietje",
      "",
      "",
      "dn:: dWlkPXpvw6ssZGM9bmw=",
      "CN: Zoë",
      "cn: Zoë",
      "",
    ].join("\n");
    expect(parseLdifText(text)).toEqual([
      {
        kind: "content",
        dn: "uid=piet,ou=people,dc=school,dc=nl",
        attrs: {
          objectClass: ["inetOrgPerson"],
          cn: ["Piet Puk"],
          sn: ["Çelik"],
          description: [""],
          "cn;lang-nl": ["Pietje"],
        },
        line: 4,
      },
      { kind: "content", dn: "uid=zoë,dc=nl", attrs: { CN: ["Zoë"] }, line: 14 },
    ]);
  });

  it("reads attributes named like Object properties, and many values of one attribute", () => {
    const members = Array.from({ length: 5000 }, (_, i) => `member: uid=p${i % 4000},dc=nl`).join("\n");
    const [record] = parseLdifText(`dn: cn=a,dc=nl\nconstructor: x\ntoString: y\n${members}\n`);
    expect(record).toMatchObject({ attrs: { constructor: ["x"], toString: ["y"] } });
    expect(record?.kind === "content" && record.attrs.member).toHaveLength(4000);
  });

  it("accepts CRLF line ends and a missing final newline", () => {
    const records = parseLdifText("dn: dc=nl\r\nobjectClass: domain\r\ndc: n\r\n l");
    expect(records).toEqual([
      { kind: "content", dn: "dc=nl", attrs: { objectClass: ["domain"], dc: ["nl"] }, line: 1 },
    ]);
  });

  it("reads every kind of change record", () => {
    const text = `dn: uid=a,dc=nl
changetype: add
objectClass: inetOrgPerson
uid: a

dn: uid=a,dc=nl
changetype: modify
add: mail
mail: a@x.nl
mail: b@x.nl
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
newsuperior: ou=people,dc=nl

dn: uid=b,ou=people,dc=nl
changetype: delete
`;
    const records: LdifRecord[] = parseLdifText(text);
    expect(records.map((r) => r.kind)).toEqual(["add", "modify", "modrdn", "delete"]);
    expect(records[1]).toMatchObject({
      mods: [
        { op: "add", attr: "mail", values: ["a@x.nl", "b@x.nl"] },
        { op: "delete", attr: "description", values: [] },
        { op: "replace", attr: "sn", values: ["Puk"] },
      ],
    });
    expect(records[2]).toMatchObject({ newRdn: "uid=b", deleteOldRdn: true, newSuperior: "ou=people,dc=nl" });
  });

  it("streams across chunk boundaries, even inside a UTF-8 character", async () => {
    const bytes = Buffer.from(
      "dn: cn=Nguyễn,dc=nl\ncn: Nguyễn\n\ndn: cn=Ødegård,dc=nl\ncn: Ødegård\n",
      "utf8",
    );
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 3) chunks.push(bytes.subarray(i, i + 3));
    const out: LdifRecord[] = [];
    for await (const r of parseLdif(chunks)) out.push(r);
    expect(out.map((r) => r.dn)).toEqual(["cn=Nguyễn,dc=nl", "cn=Ødegård,dc=nl"]);
  });

  it.each([
    ["a URL value", "dn: cn=a\njpegPhoto:< file:///etc/passwd\n", 2, "URL"],
    ["a record not starting with dn", "cn: a\n", 1, 'expected "dn:"'],
    ["a line without colon", "dn: cn=a\nbroken\n", 2, "colon"],
    ["malformed base64", "dn: cn=a\ncn:: !!!\n", 2, "base64"],
    ["base64 of binary data", "dn: cn=a\ncn:: /w==\n", 2, "not UTF-8"],
    ["invalid attribute name", "dn: cn=a\nc n: x\n", 2, "attribute name"],
    ["unknown changetype", "dn: cn=a\nchangetype: frobnicate\n", 2, "changetype"],
    [
      "a value line inside the wrong modify block",
      "dn: cn=a\nchangetype: modify\nadd: mail\nsn: x\n-\n",
      4,
      "block",
    ],
    ["a modrdn without deleteoldrdn", "\n\ndn: cn=a\nchangetype: modrdn\nnewrdn: cn=b\n", 3, "deleteoldrdn"],
    ["version 2", "version: 2\n\ndn: cn=a\n", 1, "version"],
    ["a continuation line first", " dn: cn=a\n", 1, "continuation"],
    ["controls", "dn: cn=a\ncontrol: 1.2.3 true\nchangetype: delete\n", 2, "control"],
  ])("refuses %s, naming the line", (_name, text, line, words) => {
    const err = errorOf(text);
    expect(err.code).toBe("TARGET_INVALID");
    expect(err.message).toContain(`t.ldif:${line}:`);
    expect(err.message).toContain(words);
    expect(err.details.line).toBe(line);
  });

  it("refuses bytes that are not UTF-8, naming the line", async () => {
    const bytes = Buffer.concat([Buffer.from("dn: cn=a\ncn: "), Buffer.from([0xe9]), Buffer.from("\n")]);
    const consume = async () => {
      for await (const _ of parseLdif([bytes], { source: "x.ldif" })) void _;
    };
    await expect(consume()).rejects.toThrow("x.ldif:2: the line is not valid UTF-8");
  });
});
