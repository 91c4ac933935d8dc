import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LdapTarget } from "../../../connectors/ldap/target.js";
import { isOverstapError } from "../../../src/errors.js";
import { expectedAfter, fingerprint } from "../../../src/model/entry.js";
import type { Operation } from "../../../src/model/operation.js";
import type { TargetEntry } from "../../../src/model/target-entry.js";
import { type Slapd, startSlapd } from "../../support/slapd.js";
import { targetFor } from "./helpers.js";

let slapd: Slapd;
let target: LdapTarget;
let seq = 0;
const people = "ou=people,dc=example,dc=nl";
const groups = "ou=groups,dc=example,dc=nl";

beforeAll(async () => {
  slapd = await startSlapd();
  target = await targetFor(slapd, { memberChunk: 3 });
});
afterAll(async () => {
  await target?.close();
  await slapd?.stop();
});

function op(partial: Partial<Operation> & Pick<Operation, "kind" | "key">): Operation {
  return { seq: seq++, type: "person", fingerprint: null, ...partial };
}

/** Compares content as the fingerprint does (key case, attribute name case and value order ignored). */
function expectSame(actual: TargetEntry | null, expected: TargetEntry | null) {
  expect(fingerprint(actual)).toBe(fingerprint(expected));
}

/** Applies `o` twice and checks both results against expectedAfter of the state before. */
async function applyTwice(o: Operation, lookup = o.key): Promise<TargetEntry | null> {
  const before = await target.get(lookup, o.type);
  const want = expectedAfter(o, before);
  const first = await target.apply(o);
  expectSame(first, want);
  const second = await target.apply(o);
  expectSame(second, want);
  return second;
}

const piet = {
  objectClass: ["inetOrgPerson", "eduPerson"],
  uid: ["piet"],
  cn: ["Piet Puk"],
  sn: ["Puk"],
  mail: ["piet@example.nl"],
  eduPersonAffiliation: ["student"],
};

describe("LDAP target: every operation kind, applied twice", () => {
  it("creates, and a second create of the same entry is a no-op", async () => {
    const after = await applyTwice(op({ kind: "create", key: `uid=piet,${people}`, attrs: piet }));
    expect(after?.attrs.cn).toEqual(["Piet Puk"]);
  });

  it("updates with value-level add/remove and replace", async () => {
    await applyTwice(
      op({
        kind: "update",
        key: `uid=piet,${people}`,
        changes: [
          { attr: "eduPersonAffiliation", add: ["member"], remove: ["student"] },
          { attr: "mail", replace: ["p.puk@example.nl"] },
          { attr: "givenName", add: ["Piet"] },
        ],
      }),
    );
    const now = await target.get(`uid=piet,${people}`, "person");
    expect(now?.attrs.eduPersonAffiliation).toEqual(["member"]);
    expect(now?.attrs.mail).toEqual(["p.puk@example.nl"]);
  });

  it("removes an attribute with an empty replace", async () => {
    await applyTwice(
      op({ kind: "update", key: `uid=piet,${people}`, changes: [{ attr: "givenName", replace: [] }] }),
    );
    expect((await target.get(`uid=piet,${people}`, "person"))?.attrs.givenName).toBeUndefined();
  });

  it("creates a group and changes membership in chunks", async () => {
    const members = Array.from({ length: 10 }, (_, i) => `uid=m${i},${people}`);
    const key = `cn=klas 1a,${groups}`;
    await applyTwice(
      op({
        kind: "create",
        type: "group",
        key,
        attrs: { objectClass: ["groupOfNames"], cn: ["klas 1a"], member: [`uid=piet,${people}`] },
      }),
    );
    await applyTwice(
      op({ kind: "add-members", type: "group", key, changes: [{ attr: "member", add: members }] }),
    );
    expect((await target.get(key, "group"))?.attrs.member).toHaveLength(11);
    await applyTwice(
      op({
        kind: "remove-members",
        type: "group",
        key,
        changes: [{ attr: "member", remove: members.slice(0, 7) }],
      }),
    );
    expect((await target.get(key, "group"))?.attrs.member).toHaveLength(4);
  });

  it("renames within the same parent, then applies the changes; a replay is a no-op", async () => {
    const o = op({
      kind: "rename",
      key: `uid=piet,${people}`,
      newKey: `uid=pietje,${people}`,
      changes: [{ attr: "uid", replace: ["pietje"] }],
    });
    const before = await target.get(o.key, "person");
    const want = expectedAfter(o, before);
    expectSame(await target.apply(o), want);
    expect(await target.get(o.key, "person")).toBeNull();
    expectSame(await target.apply(o), want);
  });

  it("moves to another parent (newSuperior)", async () => {
    const o = op({
      kind: "rename",
      key: `uid=pietje,${people}`,
      newKey: `uid=pietje,ou=disabled,dc=example,dc=nl`,
    });
    const before = await target.get(o.key, "person");
    const after = await target.apply(o);
    expectSame(after, expectedAfter(o, before));
    expect(await target.apply(o)).toEqual(after);
    const back = op({
      kind: "rename",
      key: `uid=pietje,ou=disabled,dc=example,dc=nl`,
      newKey: `uid=pietje,${people}`,
    });
    expect((await target.apply(back))?.key.toLowerCase()).toBe(`uid=pietje,${people}`);
  });

  it("disables and enables with explicit changes, exactly as planned", async () => {
    const key = `uid=pietje,${people}`;
    await applyTwice(
      op({
        kind: "disable",
        key,
        changes: [
          { attr: "objectClass", add: ["schacUserEntitlements"] },
          { attr: "schacUserStatus", replace: ["urn:schac:userStatus:nl:example.nl:disabled"] },
        ],
      }),
    );
    await applyTwice(op({ kind: "enable", key, changes: [{ attr: "schacUserStatus", replace: [] }] }));
  });

  it("disables with the configured attribute strategy and purge date when the plan leaves it to the target", async () => {
    const t = await targetFor(slapd, {
      disable: {
        strategy: "attribute",
        attribute: "description",
        value: "disabled",
        purgeAttribute: "title",
      },
    });
    try {
      const key = `uid=pietje,${people}`;
      const after = await t.apply(op({ kind: "disable", key, purgeAfter: "2026-09-01" }));
      expect(after?.attrs.description).toEqual(["disabled"]);
      expect(after?.attrs.title).toEqual(["20260901000000Z"]);
      const enabled = await t.apply(op({ kind: "enable", key }));
      expect(enabled?.attrs.description).toBeUndefined();
      expect(enabled?.attrs.title).toBeUndefined();
    } finally {
      await t.close();
    }
  });

  it("disables with the ou strategy by moving the entry, and enables by moving it back", async () => {
    const t = await targetFor(slapd, { disable: { strategy: "ou", ou: "ou=disabled,dc=example,dc=nl" } });
    try {
      const after = await t.apply(op({ kind: "disable", key: `uid=pietje,${people}` }));
      expect(after?.key.toLowerCase()).toBe("uid=pietje,ou=disabled,dc=example,dc=nl");
      const back = await t.apply(op({ kind: "enable", key: "uid=pietje,ou=disabled,dc=example,dc=nl" }));
      expect(back?.key.toLowerCase()).toBe(`uid=pietje,${people}`);
    } finally {
      await t.close();
    }
  });

  it("deletes, and deleting again is a no-op", async () => {
    expect(await target.apply(op({ kind: "delete", key: `uid=pietje,${people}` }))).toBeNull();
    expect(await target.apply(op({ kind: "delete", key: `uid=pietje,${people}` }))).toBeNull();
    expect(await target.get(`uid=pietje,${people}`, "person")).toBeNull();
  });

  it("reports a create over a different existing entry as TARGET_CONFLICT", async () => {
    const key = `uid=jan,${people}`;
    await target.apply(op({ kind: "create", key, attrs: { ...piet, uid: ["jan"], cn: ["Jan"] } }));
    const err = await target
      .apply(op({ kind: "create", key, attrs: { ...piet, uid: ["jan"], cn: ["Other"] } }))
      .catch((e) => e);
    expect(isOverstapError(err, "TARGET_CONFLICT")).toBe(true);
    expect(err.message).toContain("uid=jan");
  });

  it("reports schema violations as TARGET_SCHEMA naming the entry and the attribute", async () => {
    const key = `uid=jan,${people}`;
    const err = await target
      .apply(op({ kind: "update", key, changes: [{ attr: "nlFavouriteColour", add: ["blue"] }] }))
      .catch((e) => e);
    expect(isOverstapError(err, "TARGET_SCHEMA")).toBe(true);
    expect(err.message).toContain("uid=jan");
    expect(err.message).toContain("nlFavouriteColour");
    const notAllowed = await target
      .apply(op({ kind: "update", key, changes: [{ attr: "eckId", add: ["https://ketenid.nl/201703/ab"] }] }))
      .catch((e) => e);
    expect(isOverstapError(notAllowed, "TARGET_SCHEMA")).toBe(true);
    expect(notAllowed.message).toContain("eckId");
  });

  it("reports an update of a missing entry as TARGET_NO_SUCH_OBJECT", async () => {
    const err = await target
      .apply(op({ kind: "update", key: `uid=nobody,${people}`, changes: [{ attr: "cn", add: ["x"] }] }))
      .catch((e) => e);
    expect(isOverstapError(err, "TARGET_NO_SUCH_OBJECT")).toBe(true);
  });

  it("reads persons and groups with their types", async () => {
    const all = [];
    for await (const e of target.read()) all.push(e);
    expect(all.map((e) => `${e.type} ${e.key.toLowerCase()}`).sort()).toEqual([
      `group cn=klas 1a,${groups}`,
      `person uid=jan,${people}`,
    ]);
  });
});
