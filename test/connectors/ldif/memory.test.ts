import { describe, expect, it } from "vitest";
import { Directory } from "../../../connectors/ldif/directory.js";
import { createMemoryTarget } from "../../../connectors/ldif/memory.js";
import { classifier } from "../../../connectors/ldif/target.js";
import { isOverstapError } from "../../../src/errors.js";
import { expectedAfter, fingerprint } from "../../../src/model/entry.js";
import type { Operation } from "../../../src/model/operation.js";
import type { TargetEntry } from "../../../src/model/target-entry.js";

const P = "ou=people,dc=school,dc=nl";
const G = "ou=groups,dc=school,dc=nl";
const piet: TargetEntry = {
  key: `uid=piet,${P}`,
  type: "person",
  attrs: { objectClass: ["inetOrgPerson"], uid: ["piet"], cn: ["Piet Puk"], sn: ["Puk"] },
};
const klas: TargetEntry = {
  key: `cn=3a,${G}`,
  type: "group",
  attrs: { objectClass: ["groupOfNames"], cn: ["3a"], member: [piet.key] },
};

function op(partial: Partial<Operation> & Pick<Operation, "kind" | "key">): Operation {
  return { seq: 0, type: "person", fingerprint: null, ...partial };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (isOverstapError(err)) return err.code;
    throw err;
  }
  return "ok";
}

describe("createMemoryTarget", () => {
  it("creates, and treats creating the identical entry again as a no-op", async () => {
    const t = createMemoryTarget();
    const create = op({ kind: "create", key: piet.key, attrs: piet.attrs });
    const first = await t.apply(create);
    expect(first).toEqual(piet);
    expect(await t.apply(create)).toEqual(piet);
    expect(t.entries()).toHaveLength(1);
  });

  it("refuses a create where a different entry exists (TARGET_CONFLICT)", async () => {
    const t = createMemoryTarget([piet]);
    const code = await codeOf(
      t.apply(op({ kind: "create", key: piet.key, attrs: { ...piet.attrs, sn: ["Other"] } })),
    );
    expect(code).toBe("TARGET_CONFLICT");
    expect(await t.get(piet.key, "person")).toEqual(piet);
  });

  it("updates, disables and enables by value-level changes, idempotently", async () => {
    const t = createMemoryTarget([piet]);
    for (const kind of ["update", "disable", "enable"] as const) {
      const change = op({
        kind,
        key: piet.key,
        changes: [
          { attr: "description", replace: [kind] },
          { attr: "sn", add: ["X"] },
        ],
      });
      const once = await t.apply(change);
      expect(once?.attrs.description).toEqual([kind]);
      expect(await t.apply(change)).toEqual(once);
    }
  });

  it("reports an update of a missing entry as TARGET_NO_SUCH_OBJECT", async () => {
    const t = createMemoryTarget();
    for (const kind of ["update", "disable", "enable", "add-members", "remove-members"] as const) {
      expect(
        await codeOf(t.apply(op({ kind, key: piet.key, changes: [{ attr: "sn", replace: ["x"] }] }))),
      ).toBe("TARGET_NO_SUCH_OBJECT");
    }
  });

  it("adds and removes members; adding a present member is a no-op", async () => {
    const t = createMemoryTarget([klas]);
    const add = op({
      kind: "add-members",
      type: "group",
      key: klas.key,
      changes: [{ attr: "member", add: [piet.key, `uid=jan,${P}`] }],
    });
    const after = await t.apply(add);
    expect(after?.attrs.member).toEqual([piet.key, `uid=jan,${P}`]);
    expect(await t.apply(add)).toEqual(after);
    const remove = op({
      kind: "remove-members",
      type: "group",
      key: klas.key,
      changes: [{ attr: "member", remove: [piet.key] }],
    });
    expect((await t.apply(remove))?.attrs.member).toEqual([`uid=jan,${P}`]);
    expect((await t.apply(remove))?.attrs.member).toEqual([`uid=jan,${P}`]);
  });

  it("deletes, and deleting an absent entry succeeds", async () => {
    const t = createMemoryTarget([piet]);
    const del = op({ kind: "delete", key: `UID=Piet, ou=People,dc=school,dc=nl` });
    expect(await t.apply(del)).toBeNull();
    expect(await t.apply(del)).toBeNull();
    expect(t.entries()).toEqual([]);
  });

  it("renames with changes; a rename already done is a no-op; group members are not rewritten", async () => {
    const t = createMemoryTarget([piet, klas]);
    const rename = op({
      kind: "rename",
      key: piet.key,
      newKey: `uid=pietje,ou=leerlingen,dc=school,dc=nl`,
      changes: [{ attr: "uid", replace: ["pietje"] }],
    });
    const after = await t.apply(rename);
    expect(after).toEqual({ ...piet, key: rename.newKey, attrs: { ...piet.attrs, uid: ["pietje"] } });
    expect(await t.apply(rename)).toEqual(after);
    expect(await t.get(piet.key, "person")).toBeNull();
    expect((await t.get(klas.key, "group"))?.attrs.member).toEqual([piet.key]);
  });

  it("refuses a rename onto a DN that holds another entry, and of a missing entry", async () => {
    const jan = { ...piet, key: `uid=jan,${P}`, attrs: { ...piet.attrs, uid: ["jan"] } };
    const t = createMemoryTarget([piet, jan]);
    expect(await codeOf(t.apply(op({ kind: "rename", key: piet.key, newKey: jan.key })))).toBe(
      "TARGET_CONFLICT",
    );
    expect(await codeOf(t.apply(op({ kind: "rename", key: `uid=x,${P}`, newKey: `uid=y,${P}` })))).toBe(
      "TARGET_NO_SUCH_OBJECT",
    );
  });

  it("refuses to rename or delete an entry that has children, and ops whose type does not match", async () => {
    const parent = { ...piet };
    const child: TargetEntry = { key: `cn=x,${piet.key}`, type: "group", attrs: { cn: ["x"] } };
    const t = createMemoryTarget([parent, child]);
    expect(await codeOf(t.apply(op({ kind: "rename", key: piet.key, newKey: `uid=p2,${P}` })))).toBe(
      "TARGET_WRITE",
    );
    expect(await codeOf(t.apply(op({ kind: "delete", key: piet.key })))).toBe("TARGET_WRITE");
    expect(await codeOf(t.apply(op({ kind: "delete", type: "group", key: piet.key })))).toBe(
      "TARGET_CONFLICT",
    );
    expect(await t.get(piet.key, "group")).toBeNull();
  });

  it("refuses a create whose objectClass does not make it the operation's type (with a classifier)", async () => {
    const t = createMemoryTarget([], { classify: classifier(["inetOrgPerson"], ["groupOfNames"]) });
    const code = await codeOf(
      t.apply(op({ kind: "create", key: piet.key, attrs: { objectClass: ["groupOfNames"], cn: ["x"] } })),
    );
    expect(code).toBe("TARGET_SCHEMA");
  });

  it("refuses keys that are not DNs", async () => {
    const t = createMemoryTarget();
    expect(await codeOf(t.apply(op({ kind: "create", key: "not a dn", attrs: {} })))).toBe("TARGET_INVALID");
  });
});

/** A small deterministic pseudo-random generator, so a failure can be reproduced. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomOp(rand: () => number, seq: number, keys: string[]): Operation {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)] as T;
  const key = pick(keys);
  const values = () => ["a", "b", "c", "Zoë", " x"].filter(() => rand() < 0.5);
  const changes = () => [
    pick([
      { attr: "mail", add: values() },
      { attr: "mail", remove: values() },
      { attr: "MAIL", replace: values() },
      { attr: "description", add: values(), remove: values() },
      { attr: "uid", replace: [key.slice(4, key.indexOf(","))] },
    ]),
  ];
  const kind = pick(["create", "update", "disable", "rename", "delete", "update"] as const);
  const base = { seq, type: "person" as const, key, fingerprint: null };
  if (kind === "create")
    return {
      ...base,
      kind,
      attrs: { objectClass: ["inetOrgPerson"], uid: [key.slice(4, key.indexOf(","))], mail: values() },
    };
  if (kind === "rename") return { ...base, kind, newKey: pick(keys), changes: changes() };
  if (kind === "delete") return { ...base, kind };
  return { ...base, kind, changes: changes() };
}

describe("Directory semantics", () => {
  it("match expectedAfter for 3,000 random operations, and replaying its change records rebuilds the same state", () => {
    const rand = rng(42);
    const keys = ["uid=a,dc=nl", "uid=b,dc=nl", "uid=c,ou=x,dc=nl", "uid=d,ou=y,dc=nl"];
    const dir = new Directory();
    const replayed = new Directory();
    const model = new Map<string, TargetEntry>();
    let checked = 0;
    for (let seq = 0; seq < 3000; seq++) {
      const o = randomOp(rand, seq, keys);
      const current = model.get(o.key.toLowerCase()) ?? null;
      let result: ReturnType<Directory["apply"]> | undefined;
      try {
        result = dir.apply(o);
      } catch (err) {
        if (!isOverstapError(err)) throw err;
        const target = o.newKey ? (model.get(o.newKey.toLowerCase()) ?? null) : null;
        if (err.code === "TARGET_NO_SUCH_OBJECT") expect(current === null && target === null).toBe(true);
        else if (err.code === "TARGET_CONFLICT") expect(current !== null).toBe(true);
        else throw err;
        continue;
      }
      for (const record of result.changes) replayed.replay(record);
      let expected: TargetEntry | null;
      if (o.kind === "create" && current) expected = current;
      else if (o.kind === "rename" && !current)
        expected = expectedAfter(
          { ...o, key: o.newKey as string },
          model.get((o.newKey as string).toLowerCase()) ?? null,
        );
      else expected = expectedAfter(o, current);
      if (o.kind === "rename" && o.newKey && o.newKey.toLowerCase() !== o.key.toLowerCase())
        model.delete(o.key.toLowerCase());
      if (expected) model.set(expected.key.toLowerCase(), expected);
      else model.delete(o.key.toLowerCase());
      expect(fingerprint(result.after)).toBe(fingerprint(expected));
      checked += 1;
    }
    const state = (d: Directory) =>
      [...d.entries()].map((e) => fingerprint({ key: e.key, type: "person", attrs: e.attrs })).sort();
    expect(checked).toBeGreaterThan(1000);
    expect(state(replayed)).toEqual(state(dir));
    expect(state(dir)).toEqual([...model.values()].map((e) => fingerprint(e)).sort());
  });
});
