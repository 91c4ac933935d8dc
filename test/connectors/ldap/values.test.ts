import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LdapTarget } from "../../../connectors/ldap/target.js";
import { formatDn, normalizeDn } from "../../../src/model/dn.js";
import type { Operation } from "../../../src/model/operation.js";
import { type Slapd, startSlapd } from "../../support/slapd.js";
import { targetFor } from "./helpers.js";

let slapd: Slapd;
let target: LdapTarget;
let seq = 0;
const people = "ou=people,dc=example,dc=nl";

beforeAll(async () => {
  slapd = await startSlapd();
  target = await targetFor(slapd);
});
afterAll(async () => {
  await target?.close();
  await slapd?.stop();
});

function personDn(uid: string): string {
  return formatDn([
    [{ type: "uid", value: uid }],
    [{ type: "ou", value: "people" }],
    [{ type: "dc", value: "example" }],
    [{ type: "dc", value: "nl" }],
  ]);
}

function create(uid: string, attrs: Record<string, string[]>): Operation {
  return {
    seq: seq++,
    kind: "create",
    type: "person",
    key: personDn(uid),
    fingerprint: null,
    attrs: { objectClass: ["inetOrgPerson"], uid: [uid], ...attrs },
  };
}

const HARD = [
  `star*paren(close)back\\slash`,
  `comma,plus+quote"lt<gt>semi;eq=hash#`,
  "#leading hash",
  " leading and trailing spaces ",
  "nul\u0000inside",
  "Zoë Çelik-Nguyễn Ødegård",
];

describe("LDAP target: values are written and read back exactly", () => {
  it.each(HARD.map((v, i) => [i, v] as const))("value #%i in the DN and in attributes", async (i, value) => {
    const uid = `${value}-${i}`;
    const attrs = { cn: [value], sn: [`${value} sn`], description: [value, `${value}!`] };
    const after = await target.apply(create(uid, attrs));
    expect(after?.attrs.uid).toEqual([uid]);
    expect(after?.attrs.cn).toEqual([value]);
    expect([...(after?.attrs.description ?? [])].sort()).toEqual([value, `${value}!`].sort());
    expect(normalizeDn(after?.key ?? "")).toBe(normalizeDn(personDn(uid)));
    const read = await target.get(personDn(uid), "person");
    expect(read?.attrs).toEqual(after?.attrs);
    expect(await target.apply(create(uid, attrs))).toEqual(after);
  });

  it("finds the non-ASCII names through a read of everything", async () => {
    const names: string[] = [];
    for await (const e of target.read()) names.push(...(e.attrs.cn ?? []));
    for (const v of HARD) expect(names).toContain(v);
  });

  it("renames to and from DNs with special characters", async () => {
    const from = personDn(`${HARD[1]}-1`);
    const to = personDn("back\\slash, at the end\\");
    const after = await target.apply({
      seq: seq++,
      kind: "rename",
      type: "person",
      key: from,
      newKey: to,
      changes: [{ attr: "uid", replace: ["back\\slash, at the end\\"] }],
      fingerprint: "x",
    });
    expect(after?.attrs.uid).toEqual(["back\\slash, at the end\\"]);
    const moved = formatDn([
      [{ type: "uid", value: "back\\slash, at the end\\" }],
      [{ type: "ou", value: "disabled" }],
      [{ type: "dc", value: "example" }],
      [{ type: "dc", value: "nl" }],
    ]);
    const again = await target.apply({
      seq: seq++,
      kind: "rename",
      type: "person",
      key: to,
      newKey: moved,
      fingerprint: "x",
    });
    expect(normalizeDn(again?.key ?? "")).toBe(normalizeDn(moved));
    expect(await target.get(to, "person")).toBeNull();
  });
});

describe("LDAP target: no filter or DN injection", () => {
  it("treats filter syntax in a value as data", async () => {
    await target.apply(create("a*", { cn: ["A star"], sn: ["star"] }));
    await target.apply(create("plain", { cn: ["Plain"], sn: ["plain"] }));
    expect((await target.findBy("person", "uid", "a*")).map((e) => e.attrs.uid?.[0])).toEqual(["a*"]);
    expect(await target.findBy("person", "uid", "*")).toEqual([]);
    expect(await target.findBy("person", "uid", "plain)(uid=*")).toEqual([]);
    expect(await target.findBy("person", "uid", "*)(|(objectClass=*")).toEqual([]);
    expect(await target.findBy("person", "uid", "plain\u0000")).toEqual([]);
    expect((await target.findBy("person", "uid", "plain")).length).toBe(1);
  });

  it("refuses an attribute name that smuggles filter syntax", async () => {
    await expect(target.findBy("person", "uid=*)(cn", "x")).rejects.toThrow(/attribute description/);
  });

  it("keeps a DN-looking value inside its RDN", async () => {
    const evil = "x,ou=groups,dc=example,dc=nl";
    const after = await target.apply(create(evil, { cn: ["evil"], sn: ["evil"] }));
    expect(normalizeDn(after?.key ?? "").endsWith(`,${normalizeDn(people)}`)).toBe(true);
    expect(after?.attrs.uid).toEqual([evil]);
    let groupsSeen = 0;
    for await (const e of target.read()) if (normalizeDn(e.key).includes("ou=groups")) groupsSeen++;
    expect(groupsSeen).toBe(0);
  });

  it("does not let a crafted key reach another entry", async () => {
    expect(await target.get(`uid=*,${people}`, "person")).toBeNull();
    await expect(
      target.apply({ seq: seq++, kind: "delete", type: "person", key: `uid=*,${people}`, fingerprint: "x" }),
    ).resolves.toBeNull();
    expect((await target.findBy("person", "uid", "plain")).length).toBe(1);
  });
});
