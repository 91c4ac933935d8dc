import { describe, expect, it } from "vitest";
import { applyChanges, expectedAfter, fingerprint } from "../../src/model/entry.js";

describe("fingerprint", () => {
  it("ignores attribute order, name case and value order", () => {
    const a = fingerprint({ key: "uid=a,dc=x", type: "person", attrs: { cn: ["A"], mail: ["a@x", "b@x"] } });
    const b = fingerprint({ key: "UID=a,dc=x", type: "person", attrs: { MAIL: ["b@x", "a@x"], cn: ["A"] } });
    expect(a).toBe(b);
  });
  it("changes when a value changes", () => {
    const a = fingerprint({ key: "uid=a", type: "person", attrs: { cn: ["A"] } });
    const b = fingerprint({ key: "uid=a", type: "person", attrs: { cn: ["B"] } });
    expect(a).not.toBe(b);
  });
  it("is null for an absent object", () => {
    expect(fingerprint(null)).toBeNull();
  });
});

describe("applyChanges", () => {
  it("is idempotent for add and remove", () => {
    const once = applyChanges({ member: ["a"] }, [{ attr: "member", add: ["b"], remove: ["a"] }]);
    const twice = applyChanges(once, [{ attr: "member", add: ["b"], remove: ["a"] }]);
    expect(once).toEqual({ member: ["b"] });
    expect(twice).toEqual(once);
  });
  it("drops attributes that become empty and matches names case-insensitively", () => {
    expect(applyChanges({ Mail: ["a"] }, [{ attr: "mail", replace: [] }])).toEqual({});
  });
  it("renames with changes", () => {
    const after = expectedAfter(
      {
        seq: 0,
        kind: "rename",
        type: "person",
        key: "uid=a",
        newKey: "uid=b",
        changes: [{ attr: "uid", replace: ["b"] }],
        fingerprint: "x",
      },
      { key: "uid=a", type: "person", attrs: { uid: ["a"] } },
    );
    expect(after).toEqual({ key: "uid=b", type: "person", attrs: { uid: ["b"] } });
  });
});
