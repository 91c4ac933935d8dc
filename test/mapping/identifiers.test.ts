import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type IdentifierAssignment,
  IdentifierRegistry,
  type IdentifierRegistryOptions,
  type IdentifierRequest,
  numberedAlternative,
  type RegistryStore,
} from "../../src/mapping/identifiers.js";
import { openSqliteStore } from "../../src/state/sqlite.js";
import { hashCollision } from "../support/hash-collision.js";
import { MemoryKv } from "../support/memory-kv.js";

/** The values of an assignment by reference, and what it issued as (ref, value, candidate). */
function byRef(assignment: IdentifierAssignment) {
  const values = new Map<string, string>();
  assignment.requests.forEach((r, i) => {
    const value = assignment.values[i];
    if (value !== undefined) values.set(r.ref, value);
  });
  const issued = assignment.issued.map((i) => {
    const r = assignment.requests[i] as IdentifierRequest;
    return { ref: r.ref, value: assignment.values[i], candidate: r.candidate };
  });
  return { values, issued, review: assignment.review };
}

async function run(
  kv: RegistryStore,
  requests: IdentifierRequest[],
  options: IdentifierRegistryOptions = {},
) {
  const registry = new IdentifierRegistry(kv, options);
  const assignment = await registry.assign(requests);
  await registry.commit(assignment);
  return byRef(assignment);
}

const req = (ref: string, candidate: string, current?: string): IdentifierRequest => ({
  ref,
  candidate,
  ...(current === undefined ? {} : { current }),
});

describe("IdentifierRegistry", () => {
  it("issues the candidate to a new person and stores it, one row per person", async () => {
    const kv = new MemoryKv();
    const a = await run(kv, [req("las:1", "p.puk")]);
    expect(a.values.get("las:1")).toBe("p.puk");
    expect(a.issued).toEqual([{ ref: "las:1", value: "p.puk", candidate: "p.puk" }]);
    expect(kv.data.get("uid")?.get("las:1")).toBe("p.puk");
    expect([...kv.data.keys()]).toEqual(["uid"]);
  });

  it("gives every request of a repeated ref the first one's value", async () => {
    const registry = new IdentifierRegistry(new MemoryKv());
    const a = await registry.assign([req("las:1", "p.puk"), req("las:2", "p.puk"), req("las:1", "x.y")]);
    expect(a.values).toEqual(["p.puk", "p.puk2", "p.puk"]);
    expect(a.issued).toEqual([0, 1]);
  });

  it("keeps an issued value on a re-run and reports a source rename, never applying it", async () => {
    const kv = new MemoryKv();
    await run(kv, [req("las:1", "p.puk"), req("las:2", "j.jansen")]);
    const again = await run(kv, [req("las:1", "p.puk"), req("las:2", "j.jansen")]);
    expect(again.issued).toEqual([]);
    expect(again.review).toEqual([]);
    const renamed = await run(kv, [req("las:1", "p.puk-devries"), req("las:2", "j.jansen")]);
    expect(renamed.values.get("las:1")).toBe("p.puk");
    expect(renamed.issued).toEqual([]);
    expect(renamed.review).toHaveLength(1);
    expect(renamed.review[0]).toMatchObject({
      record: "las:1",
      field: "uid",
      rule: "identifier-stable",
      severity: "warning",
    });
    expect(kv.data.get("uid")?.get("las:1")).toBe("p.puk");
  });

  it("a rename frees nothing: a newcomer with the old candidate gets an alternative", async () => {
    const kv = new MemoryKv();
    await run(kv, [req("las:1", "p.puk")]);
    const next = await run(kv, [req("las:1", "p.puk-devries"), req("las:9", "p.puk")]);
    expect(next.values.get("las:1")).toBe("p.puk");
    expect(next.values.get("las:9")).toBe("p.puk2");
  });

  it("resolves collisions in ref order, whatever the input order", async () => {
    const people = [req("las:3", "p.puk"), req("las:1", "p.puk"), req("las:2", "P.Puk")];
    const a = await run(new MemoryKv(), people);
    const b = await run(new MemoryKv(), [...people].reverse());
    expect(Object.fromEntries(a.values)).toEqual({ "las:1": "p.puk", "las:2": "P.Puk2", "las:3": "p.puk3" });
    expect(Object.fromEntries(b.values)).toEqual(Object.fromEntries(a.values));
  });

  it("an alternative never takes a value someone else asked for", async () => {
    const a = await run(new MemoryKv(), [
      req("las:1", "p.puk"),
      req("las:2", "p.puk"),
      req("las:0", "p.puk2"),
    ]);
    expect(Object.fromEntries(a.values)).toEqual({ "las:0": "p.puk2", "las:1": "p.puk", "las:2": "p.puk3" });
  });

  it("tells values apart that share only a hash, also when choosing an alternative", async () => {
    const [a, b] = hashCollision();
    const same = await run(new MemoryKv(), [req("las:1", a), req("las:2", b)]);
    expect(Object.fromEntries(same.values)).toEqual({ "las:1": a, "las:2": b });
    // las:3 loses "c" to las:2; its first alternative is b, which only shares a hash with a.
    const alternative = (c: string, n: number) => (n === 2 ? b : `${c}${n}`);
    const alt = await run(new MemoryKv(), [req("las:1", a), req("las:2", "c"), req("las:3", "c")], {
      alternative,
    });
    expect(Object.fromEntries(alt.values)).toEqual({ "las:1": a, "las:2": "c", "las:3": b });
  });

  it("puts the number before the @ of an ePPN", async () => {
    expect(numberedAlternative("p.puk@school.nl", 2)).toBe("p.puk2@school.nl");
    const a = await run(new MemoryKv(), [req("x:1", "p.puk@school.nl"), req("x:2", "p.puk@school.nl")], {
      namespace: "eppn",
    });
    expect(a.values.get("x:2")).toBe("p.puk2@school.nl");
  });

  it("treats values already in the target as taken, case-insensitively", async () => {
    const a = await run(new MemoryKv(), [req("las:1", "p.puk"), req("las:2", "j.jansen")], {
      taken: ["P.PUK", "p.puk2", "J.Jansen"],
    });
    expect(Object.fromEntries(a.values)).toEqual({ "las:1": "p.puk3", "las:2": "j.jansen2" });
  });

  it("takes a lower-cased set of target values as it is, for a registry that is not case-sensitive", async () => {
    const a = await run(new MemoryKv(), [req("las:1", "P.Puk"), req("las:2", "j.jansen")], {
      takenLowerCased: new Set(["p.puk", "p.puk2"]),
    });
    expect(Object.fromEntries(a.values)).toEqual({ "las:1": "P.Puk3", "las:2": "j.jansen" });
    const taken = new Set(["x"]);
    expect(
      () => new IdentifierRegistry(new MemoryKv(), { takenLowerCased: taken, caseSensitive: true }),
    ).toThrow(TypeError);
    expect(() => new IdentifierRegistry(new MemoryKv(), { takenLowerCased: taken, taken: ["y"] })).toThrow(
      TypeError,
    );
  });

  it("adopts the value a correlated target entry already holds, even if taken", async () => {
    const kv = new MemoryKv();
    const a = await run(kv, [req("las:1", "pietje.puk", "p.puk"), req("las:2", "p.puk")], {
      taken: ["p.puk"],
    });
    expect(Object.fromEntries(a.values)).toEqual({ "las:1": "p.puk", "las:2": "p.puk2" });
    expect(a.review).toEqual([]);
    const later = await run(kv, [req("las:1", "pietje.puk", "p.puk")], { taken: ["p.puk"] });
    expect(later.review).toEqual([]);
    expect(later.values.get("las:1")).toBe("p.puk");
  });

  it("reports a target value that differs from the issued one", async () => {
    const kv = new MemoryKv();
    await run(kv, [req("las:1", "p.puk")]);
    const a = await run(kv, [req("las:1", "p.puk", "pietje")]);
    expect(a.values.get("las:1")).toBe("p.puk");
    expect(a.review.map((r) => r.rule)).toEqual(["identifier-stable"]);
  });

  it("issues nothing for an unsafe or empty candidate", async () => {
    const kv = new MemoryKv();
    const a = await run(kv, [req("las:1", "puk, p"), req("las:2", "#puk"), req("las:3", "")]);
    expect(a.values.size).toBe(0);
    expect(a.review.map((r) => `${r.record} ${r.rule} ${r.severity}`)).toEqual([
      "las:1 identifier-unsafe error",
      "las:2 identifier-unsafe error",
    ]);
    expect(kv.data.get("uid")).toBeUndefined();
    const fixed = await run(kv, [req("las:1", "p.puk")]);
    expect(fixed.values.get("las:1")).toBe("p.puk");
  });

  it("assign stores nothing until commit", async () => {
    const kv = new MemoryKv();
    const registry = new IdentifierRegistry(kv);
    await registry.assign([req("las:1", "p.puk")]);
    expect(kv.data.size).toBe(0);
  });

  it("batches store calls instead of one per person", async () => {
    const kv = new MemoryKv();
    const many = Array.from({ length: 5000 }, (_, i) => req(`las:${i}`, i % 10 === 0 ? "same" : `user${i}`));
    const a = await run(kv, many, { batchSize: 1000 });
    expect(new Set(a.values.values()).size).toBe(5000);
    expect(a.values.get("las:0")).toBe("same");
    expect(a.values.get("las:10")).toBe("same2");
    expect(kv.calls).toBeLessThan(30);
  });

  it("refuses an alternative function that repeats itself", async () => {
    const registry = new IdentifierRegistry(new MemoryKv(), { alternative: () => "always" });
    await expect(registry.assign([req("a:1", "x"), req("a:2", "x"), req("a:3", "x")])).rejects.toMatchObject({
      code: "MAPPING_INVALID",
    });
  });

  it("is stable across runs on the SQLite store", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "overstap-ids-")), "state.db");
    const first = openSqliteStore(file);
    await run(first, [req("las:2", "p.puk"), req("las:1", "p.puk")]);
    await first.close();
    const second = openSqliteStore(file);
    const registry = new IdentifierRegistry(second);
    const again = byRef(
      await registry.assign([req("las:1", "piet.puk"), req("las:2", "p.puk"), req("las:3", "p.puk")]),
    );
    await second.close();
    expect(Object.fromEntries(again.values)).toEqual({
      "las:1": "p.puk",
      "las:2": "p.puk2",
      "las:3": "p.puk3",
    });
    expect(again.review.map((r) => `${r.record} ${r.rule}`)).toEqual(["las:1 identifier-stable"]);
  });
});
