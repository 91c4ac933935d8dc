import { describe, expect, it } from "vitest";
import type { TargetEntry } from "../../src/model/target-entry.js";
import { AttributeColumns, MappedPerson } from "../../src/plan/mapped-person.js";
import { TargetIndex } from "../../src/plan/target-index.js";
import { readOnlyTarget } from "../support/read-only-target.js";

const PEOPLE: TargetEntry[] = [
  {
    key: "uid=a,ou=people,dc=x",
    type: "person",
    attrs: { uid: ["a"], Mail: ["a@x"], eduPersonUniqueId: ["anchor-a"] },
  },
  { key: "UID=B,ou=people,dc=x", type: "person", attrs: { uid: ["B", "b2"], cn: ["Bé"] } },
  { key: "cn=g,ou=groups,dc=x", type: "group", attrs: { cn: ["g"], member: ["uid=a,ou=people,dc=x"] } },
];

describe("TargetIndex", () => {
  it("indexes by normalized key and anchor, and gives every entry back exactly", async () => {
    const index = await TargetIndex.read(readOnlyTarget(PEOPLE), "eduPersonUniqueId", {
      identifiers: ["uid"],
    });
    expect(index.count).toEqual({ person: 2, group: 1 });
    expect(index.byAnchor.get("anchor-a")?.entry()).toEqual(PEOPLE[0]);
    expect(index.byKey.get("uid=b,ou=people,dc=x")?.entry()).toEqual(PEOPLE[1]);
    expect(index.byKey.get("cn=g,ou=groups,dc=x")?.entry()).toEqual(PEOPLE[2]);
    expect(index.taken).toEqual([new Set(["a", "b", "b2"])]);
    expect(index.byKey.get("uid=b,ou=people,dc=x")?.ids).toEqual(["B"]);
  });

  it("links by anchor first, else to an anchorless person at the key", async () => {
    const index = await TargetIndex.read(readOnlyTarget(PEOPLE), "eduPersonUniqueId", {
      identifiers: ["uid"],
    });
    expect(index.linked("anchor-a", "uid=zzz")?.key).toBe("uid=a,ou=people,dc=x");
    expect(index.linked("none", "uid=b,ou=people,dc=x")?.key).toBe("UID=B,ou=people,dc=x");
    expect(index.linked("none", "uid=a,ou=people,dc=x")).toBeUndefined();
    expect(index.linked("none", "cn=g,ou=groups,dc=x")).toBeUndefined();
  });

  it("hashes the content: equal for equal targets, different after a change", async () => {
    const one = await TargetIndex.read(readOnlyTarget(PEOPLE), "eduPersonUniqueId", { identifiers: ["uid"] });
    const two = await TargetIndex.read(readOnlyTarget(PEOPLE), "eduPersonUniqueId", { identifiers: ["uid"] });
    const changed = structuredClone(PEOPLE);
    (changed[1] as TargetEntry).attrs.cn = ["Be"];
    const three = await TargetIndex.read(readOnlyTarget(changed), "eduPersonUniqueId", {
      identifiers: ["uid"],
    });
    expect(one.hash()).toBe(two.hash());
    expect(three.hash()).not.toBe(one.hash());
  });

  it("hashes the target's fingerprint instead of its objects when it has one", async () => {
    const read = (entries: TargetEntry[], fingerprint: string) =>
      TargetIndex.read({ ...readOnlyTarget(entries), fingerprint: () => fingerprint }, "eduPersonUniqueId", {
        identifiers: ["uid"],
      });
    const changed = structuredClone(PEOPLE);
    (changed[1] as TargetEntry).attrs.cn = ["Be"];
    const plain = await TargetIndex.read(readOnlyTarget(PEOPLE), "eduPersonUniqueId", {
      identifiers: ["uid"],
    });
    const one = await read(PEOPLE, "f1");
    expect((await read(changed, "f1")).hash()).toBe(one.hash());
    expect((await read(PEOPLE, "f2")).hash()).not.toBe(one.hash());
    expect(one.hash()).not.toBe(plain.hash());
    expect(one.byKey.get("uid=b,ou=people,dc=x")?.entry()).toEqual(PEOPLE[1]);
  });
});

describe("MappedPerson", () => {
  it("applies its patches to the attributes read back, names matched case-insensitively", () => {
    const m = new MappedPerson({
      ref: "las:1",
      key: "uid=a,dc=x",
      norm: "uid=a,dc=x",
      anchor: "x",
      enabled: true,
      selected: true,
      row: 0,
    });
    expect(m.patched({ uid: ["a"] })).toEqual({ uid: ["a"] });
    m.patch("UID", ["a2"]);
    m.patch("eduPersonPrincipalName", ["a2@x"]);
    expect(m.patched({ uid: ["a"], sn: ["Ça va"] })).toEqual({
      uid: ["a2"],
      sn: ["Ça va"],
      eduPersonPrincipalName: ["a2@x"],
    });
  });
});

describe("AttributeColumns", () => {
  it("keeps the values of the named attributes per row, names matched case-insensitively", () => {
    const columns = new AttributeColumns(["uid", "mail"]);
    columns.record(0, { UID: ["a"], mail: ["a@x", "b@x"] });
    columns.record(1, { cn: ["b"] });
    expect(columns.values("uid", 0)).toEqual(["a"]);
    expect(columns.values("mail", 0)).toEqual(["a@x", "b@x"]);
    expect(columns.first("mail", 0)).toBe("a@x");
    expect(columns.values("uid", 1)).toEqual([]);
    columns.set("UID", 1, ["c"]);
    expect(columns.first("uid", 1)).toBe("c");
  });
});
