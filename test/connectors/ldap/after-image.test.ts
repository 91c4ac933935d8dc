import type { Client } from "ldapts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AfterImages, isStableDn } from "../../../connectors/ldap/after-image.js";
import { classifier } from "../../../connectors/ldap/entry.js";
import { parseServerSchema } from "../../../connectors/ldap/server-schema.js";
import type { LdapTarget } from "../../../connectors/ldap/target.js";
import { formatDn } from "../../../src/model/dn.js";
import type { Operation } from "../../../src/model/operation.js";
import { type Slapd, startSlapd } from "../../support/slapd.js";
import { targetFor } from "./helpers.js";

const SCHEMA = parseServerSchema(
  [
    "( 2.5.4.41 NAME 'name' EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15{32768} )",
    "( 2.5.4.3 NAME ( 'cn' 'commonName' ) DESC 'common name' SUP name )",
    "( 0.9.2342.19200300.100.1.1 NAME ( 'uid' 'userid' ) SYNTAX 1.3.6.1.4.1.1466.115.121.1.15{256} )",
    "( 2.5.4.11 NAME ( 'ou' 'organizationalUnitName' ) SUP name )",
    "( 0.9.2342.19200300.100.1.25 NAME ( 'dc' 'domainComponent' ) SYNTAX 1.3.6.1.4.1.1466.115.121.1.26 SINGLE-VALUE )",
    "( 2.5.4.49 NAME 'distinguishedName' SYNTAX 1.3.6.1.4.1.1466.115.121.1.12 )",
    "( 2.5.4.31 NAME 'member' SUP distinguishedName )",
    "( 2.5.4.0 NAME 'objectClass' SYNTAX 1.3.6.1.4.1.1466.115.121.1.38 )",
    "( 2.5.4.36 NAME 'userCertificate' SYNTAX 1.3.6.1.4.1.1466.115.121.1.8 )",
  ],
  [
    "( 2.5.6.9 NAME 'groupOfNames' SUP top STRUCTURAL MUST ( member $ cn ) )",
    "( 2.16.840.1.113730.3.2.2 NAME 'inetOrgPerson' SUP organizationalPerson STRUCTURAL )",
  ],
);
const ENV = { classify: classifier("groupOfNames", ["inetOrgPerson"]), ignore: new Set(["userpassword"]) };

describe("server schema", () => {
  it("maps aliases and OIDs to the canonical name and follows SUP to the syntax", () => {
    expect(SCHEMA.attributeName("commonName")).toBe("cn");
    expect(SCHEMA.attributeName("2.5.4.3")).toBe("cn");
    expect(SCHEMA.attributeName("USERID")).toBe("uid");
    expect(SCHEMA.attributeName("nope")).toBeUndefined();
    expect(SCHEMA.syntaxOf("cn")).toBe("1.3.6.1.4.1.1466.115.121.1.15");
    expect(SCHEMA.syntaxOf("member")).toBe("1.3.6.1.4.1.1466.115.121.1.12");
    expect(SCHEMA.className("inetorgperson")).toBe("inetOrgPerson");
    expect(SCHEMA.attributeNames.has("commonname")).toBe(true);
  });
});

describe("isStableDn", () => {
  it.each([
    ["uid=p1,ou=people,dc=example,dc=nl", true],
    ["uid=Zoë Çelik-Nguyễn,ou=people,dc=example,dc=nl", true],
    ["uid=a\\,b,ou=people,dc=example,dc=nl", false],
    ["uid=a\\2Cb,ou=people,dc=example,dc=nl", false],
    ["UID=p1,ou=people,dc=example,dc=nl", false],
    ["userid=p1,ou=people,dc=example,dc=nl", false],
    ["uid=p1, ou=people,dc=example,dc=nl", false],
    ["uid=p1+cn=x,ou=people,dc=example,dc=nl", false],
    ["uid=#x,ou=people,dc=example,dc=nl", false],
    ["uid=x ,ou=people,dc=example,dc=nl", false],
    ["uid=,ou=people,dc=example,dc=nl", false],
    ["nope=x,dc=nl", false],
  ])("%s → %s", (dn, stable) => {
    expect(isStableDn(dn, SCHEMA)).toBe(stable);
  });
});

describe("AfterImages", () => {
  const attrs = { objectClass: ["inetOrgPerson"], uid: ["p1"], cn: ["P"] };
  const key = "uid=p1,ou=people,dc=example,dc=nl";

  it("predicts only names, values and DNs the server keeps as sent", () => {
    const images = new AfterImages(SCHEMA);
    expect(images.created(key, attrs)).toEqual(attrs);
    expect(images.created(key, { ...attrs, objectClass: ["inetorgperson"] })).toBeUndefined();
    expect(images.created(key, { objectClass: ["inetOrgPerson"], commonName: ["P"] })).toBeUndefined();
    expect(images.created(key, { ...attrs, userCertificate: ["x"] })).toBeUndefined();
    expect(images.created(key, { ...attrs, unknownAttr: ["x"] })).toBeUndefined();
    expect(images.created(`uid=a\\,b,ou=people,dc=example,dc=nl`, attrs)).toBeUndefined();
    const group = { objectClass: ["groupOfNames"], cn: ["g"], member: [key] };
    expect(images.modified(group, [{ attr: "member", add: ["uid=p2,ou=people,dc=example,dc=nl"] }])).toEqual({
      ...group,
      member: [key, "uid=p2,ou=people,dc=example,dc=nl"],
    });
    expect(
      images.modified(group, [{ attr: "member", add: ["uid=a\\+b,ou=people,dc=example,dc=nl"] }]),
    ).toBeUndefined();
    expect(images.modified(group, [{ attr: "member", remove: [key] }])).toEqual({
      objectClass: ["groupOfNames"],
      cn: ["g"],
    });
    expect(new AfterImages(null).created(key, attrs)).toBeUndefined();
  });

  it("reads the first prediction back and stops predicting when the server disagrees", async () => {
    let searches = 0;
    const client = {
      search: async () => {
        searches++;
        return { searchEntries: [{ dn: key, objectClass: ["inetOrgPerson", "top"], uid: "p1", cn: "P" }] };
      },
    } as unknown as Client;
    const images = new AfterImages(SCHEMA);
    const first = await images.settle(client, "create", key, images.created(key, attrs), ENV);
    expect(first?.attrs.objectClass).toEqual(["inetOrgPerson", "top"]);
    expect(images.created(key, attrs)).toBeUndefined();
    await images.settle(client, "create", key, images.created(key, attrs), ENV);
    expect(searches).toBe(2);
  });

  it("trusts a verified prediction without reading again", async () => {
    let searches = 0;
    const client = {
      search: async () => {
        searches++;
        return { searchEntries: [{ dn: key, objectClass: "inetOrgPerson", uid: "p1", cn: "P" }] };
      },
    } as unknown as Client;
    const images = new AfterImages(SCHEMA);
    for (let i = 0; i < 5; i++) {
      const after = await images.settle(client, "create", key, images.created(key, attrs), ENV);
      expect(after).toEqual({ key, type: "person", attrs });
    }
    expect(searches).toBe(1);
  });
});

describe("LDAP target: after-images on slapd", () => {
  let slapd: Slapd;
  let target: LdapTarget;
  let searches = 0;
  let seq = 0;
  const people = "ou=people,dc=example,dc=nl";
  const groups = "ou=groups,dc=example,dc=nl";
  const dn = (uid: string, ou = people) => `${formatDn([[{ type: "uid", value: uid }]])},${ou}`;

  beforeAll(async () => {
    slapd = await startSlapd();
    target = await targetFor(slapd, { memberChunk: 2 });
    const session = target.session;
    const run = session.run.bind(session);
    session.run = (ctx, work) =>
      run(ctx, (client) =>
        work(
          new Proxy(client, {
            get(t, p) {
              const v = Reflect.get(t, p);
              if (typeof v !== "function") return v;
              return (...args: unknown[]) => {
                if (p === "search") searches++;
                return v.apply(t, args);
              };
            },
          }),
        ),
      );
  });
  afterAll(async () => {
    await target?.close();
    await slapd?.stop();
  });

  const person = (uid: string): Operation => ({
    seq: seq++,
    kind: "create",
    type: "person",
    key: dn(uid),
    fingerprint: null,
    attrs: {
      objectClass: ["inetOrgPerson", "eduPerson"],
      uid: [uid],
      cn: ["Zoë Çelik"],
      sn: ["Çelik"],
      eduPersonAffiliation: ["student", "member"],
      userPassword: ["{SSHA}never-read"],
    },
  });

  it("creates without reading back once a prediction has been verified", async () => {
    await target.apply(person("warm-up"));
    searches = 0;
    for (let i = 0; i < 10; i++) {
      const after = await target.apply(person(`fast${i}`));
      expect(after?.attrs.userPassword).toBeUndefined();
    }
    expect(searches).toBe(0);
  });

  const sequence: Array<[string, () => Operation]> = [
    ["create with plain values", () => person("plain")],
    ["create with escaped DN", () => person('comma, plus+ "quote"')],
    [
      "create with a lower-case object class",
      () => ({
        ...person("lower"),
        attrs: { ...person("lower").attrs, objectClass: ["inetorgperson", "eduperson"] },
      }),
    ],
    [
      "create a group with plain and escaped members",
      () => ({
        seq: seq++,
        kind: "create",
        type: "group",
        key: `cn=g,${groups}`,
        fingerprint: null,
        attrs: {
          objectClass: ["groupOfNames"],
          cn: ["g"],
          member: [dn("plain"), dn('comma, plus+ "quote"')],
        },
      }),
    ],
    [
      "add members, chunked",
      () => ({
        seq: seq++,
        kind: "add-members",
        type: "group",
        key: `cn=g,${groups}`,
        fingerprint: "x",
        changes: [{ attr: "member", add: [dn("fast1"), dn("fast2"), dn("fast3")] }],
      }),
    ],
    [
      "remove an escaped member",
      () => ({
        seq: seq++,
        kind: "remove-members",
        type: "group",
        key: `cn=g,${groups}`,
        fingerprint: "x",
        changes: [{ attr: "member", remove: [dn('comma, plus+ "quote"')] }],
      }),
    ],
    [
      "update with replace and an alias name",
      () => ({
        seq: seq++,
        kind: "update",
        type: "person",
        key: dn("plain"),
        fingerprint: "x",
        changes: [
          { attr: "mail", replace: ["p@example.nl"] },
          { attr: "commonName", add: ["Zoë"] },
        ],
      }),
    ],
    [
      "disable, adding the SCHAC classes as the planner does",
      () => ({
        seq: seq++,
        kind: "disable",
        type: "person",
        key: dn("plain"),
        fingerprint: "x",
        changes: [
          { attr: "objectClass", add: ["schacUserEntitlements", "schacEntryMetadata"] },
          { attr: "schacUserStatus", add: ["urn:schac:userStatus:nl:overstap:disabled"] },
          { attr: "schacExpiryDate", replace: ["20260901000000Z"] },
        ],
      }),
    ],
    [
      "move to another OU",
      () => ({
        seq: seq++,
        kind: "rename",
        type: "person",
        key: dn("fast4"),
        newKey: dn("fast4", "ou=disabled,dc=example,dc=nl"),
        fingerprint: "x",
      }),
    ],
    [
      "rename with a new RDN",
      () => ({
        seq: seq++,
        kind: "rename",
        type: "person",
        key: dn("fast5"),
        newKey: dn("renamed5"),
        fingerprint: "x",
      }),
    ],
  ];

  it.each(sequence)("%s: the after-image is exactly what the server returns", async (_, make) => {
    const op = make();
    const after = await target.apply(op);
    const read = await target.get(after?.key ?? "", op.type);
    expect(read).not.toBeNull();
    expect(after?.key).toBe(read?.key);
    const sorted = (attrs: Record<string, string[]> = {}) =>
      Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, [...v].sort()]));
    expect(sorted(after?.attrs)).toEqual(sorted(read?.attrs));
  });
});
