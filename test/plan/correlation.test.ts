import { describe, expect, it } from "vitest";
import { type CorrelationKey, CorrelationSchema } from "../../src/config/schema.js";
import type { ReviewItem } from "../../src/model/review.js";
import type { TargetEntry } from "../../src/model/target-entry.js";
import { correlate } from "../../src/plan/correlation.js";
import { normKey } from "../../src/plan/keys.js";
import { AttributeColumns, MappedPerson } from "../../src/plan/mapped-person.js";
import { TargetIndex } from "../../src/plan/target-index.js";
import { readOnlyTarget } from "../support/read-only-target.js";

const entry = (uid: string, attrs: Record<string, string[]>): TargetEntry => ({
  key: `uid=${uid},ou=people,dc=school,dc=nl`,
  type: "person",
  attrs: { uid: [uid], ...attrs },
});
const keyOf = (uid: string) => `uid=${uid},ou=people,dc=school,dc=nl`;
/** The anchor a test person carries: its ref, prefixed (the planner's is a hash of it). */
const anchorOf = (ref: string) => `anchor:${ref}`;

interface Input {
  ref: string;
  attrs?: Record<string, string[]>;
  /** The uid of the person's own key (default: a key no entry has). */
  uid?: string;
}

const CONFIG = {
  anchor: "overstapAnchor",
  keys: [
    { attribute: "eduPersonPrincipalName", confidence: 0.95 },
    { attribute: "mail", confidence: 0.8 },
    { attribute: "employeeNumber", confidence: 0.6, match: "exact" as const },
  ],
  reviewBelow: 0.7,
};

async function run(persons: Input[], entries: TargetEntry[], input: unknown = CONFIG) {
  const config = CorrelationSchema.parse(input);
  const target = await TargetIndex.read(readOnlyTarget(entries), config.anchor, {
    identifiers: ["uid"],
    keys: config.keys,
  });
  const columns = new AttributeColumns(config.keys.map((k: CorrelationKey) => k.attribute));
  const mapped = persons.map((p, row) => {
    const attrs = p.attrs ?? {};
    const key = keyOf(p.uid ?? `new-${p.ref.replace(":", "-")}`);
    columns.record(row, attrs);
    const init = {
      ref: p.ref,
      key,
      norm: normKey(key),
      anchor: anchorOf(p.ref),
      enabled: true,
      selected: true,
    };
    return new MappedPerson({ ...init, row });
  });
  const review: ReviewItem[] = [];
  const counts = correlate(mapped, columns, target, config, review);
  const byRef = new Map(mapped.map((m) => [m.ref, m]));
  /** The key of the entry the person is linked to, "dropped", or undefined (new). */
  const outcome = (ref: string) => {
    const m = byRef.get(ref) as MappedPerson;
    return m.dropped ? "dropped" : target.linked(m.anchor, m.norm)?.key;
  };
  return { counts, review, outcome, target };
}

describe("correlate", () => {
  it("links by anchor first, even when a key points elsewhere", async () => {
    const r = await run(
      [{ ref: "entra:1", attrs: { mail: ["b@school.nl"] } }],
      [entry("a", { overstapAnchor: [anchorOf("entra:1")] }), entry("b", { mail: ["b@school.nl"] })],
    );
    expect(r.outcome("entra:1")).toBe(keyOf("a"));
    expect(r.counts).toEqual({ linked: 1, new: 0, ambiguous: 0, conflict: 0 });
    expect(r.review).toEqual([]);
  });

  it("links by the first key that matches, mail trimmed and case-insensitively", async () => {
    const r = await run(
      [
        {
          ref: "entra:1",
          attrs: { mail: [" P.Puk@School.NL "], eduPersonPrincipalName: ["nobody@school.nl"] },
        },
      ],
      [entry("ppuk", { mail: ["p.puk@school.nl"] })],
    );
    expect(r.outcome("entra:1")).toBe(keyOf("ppuk"));
    expect(r.review).toEqual([]);
  });

  it("reads attribute names case-insensitively on both sides", async () => {
    const r = await run(
      [{ ref: "entra:1", attrs: { MAIL: ["p@school.nl"] } }],
      [entry("p", { Mail: ["p@school.nl"] })],
    );
    expect(r.outcome("entra:1")).toBe(keyOf("p"));
  });

  it("a key listed earlier wins over a later one", async () => {
    const r = await run(
      [{ ref: "entra:1", attrs: { eduPersonPrincipalName: ["p@school.nl"], mail: ["m@school.nl"] } }],
      [
        entry("byMail", { mail: ["m@school.nl"] }),
        entry("byEppn", { eduPersonPrincipalName: ["P@school.nl"] }),
      ],
    );
    expect(r.outcome("entra:1")).toBe(keyOf("byEppn"));
  });

  it("exact keys compare exactly; a link below reviewBelow is a warning", async () => {
    const r = await run(
      [
        { ref: "las:1", attrs: { employeeNumber: ["140136"] } },
        { ref: "las:2", attrs: { employeeNumber: ["A7"] } },
      ],
      [entry("x", { employeeNumber: ["140136"] }), entry("y", { employeeNumber: ["a7"] })],
    );
    expect(r.outcome("las:1")).toBe(keyOf("x"));
    expect(r.outcome("las:2")).toBeUndefined();
    expect(r.counts).toEqual({ linked: 1, new: 1, ambiguous: 0, conflict: 0 });
    expect(r.review).toEqual([
      {
        record: "las:1",
        field: "employeeNumber",
        rule: "correlation-weak",
        reason: expect.stringContaining("confidence 0.6"),
        severity: "warning",
        candidates: [keyOf("x")],
      },
    ]);
  });

  it("no match means new", async () => {
    const r = await run(
      [{ ref: "entra:1", attrs: { mail: ["new@school.nl"] } }],
      [entry("a", { mail: ["old@school.nl"] })],
    );
    expect(r.outcome("entra:1")).toBeUndefined();
    expect(r.counts.new).toBe(1);
  });

  it("several candidates are ambiguous and go to review with their keys", async () => {
    const r = await run(
      [{ ref: "entra:1", attrs: { mail: ["shared@school.nl"] } }],
      [entry("b", { mail: ["shared@school.nl"] }), entry("a", { mail: ["SHARED@school.nl"] })],
    );
    expect(r.outcome("entra:1")).toBe("dropped");
    expect(r.review).toEqual([
      {
        record: "entra:1",
        field: "mail",
        rule: "correlation-ambiguous",
        reason: expect.stringContaining("2 target entries match by mail"),
        severity: "error",
        candidates: [keyOf("a"), keyOf("b")],
      },
    ]);
  });

  it("several values of one person matching different entries are ambiguous", async () => {
    const r = await run(
      [{ ref: "entra:1", attrs: { mail: ["a@school.nl", "b@school.nl"] } }],
      [entry("a", { mail: ["a@school.nl"] }), entry("b", { mail: ["b@school.nl"] })],
    );
    expect(r.outcome("entra:1")).toBe("dropped");
    expect(r.counts.ambiguous).toBe(1);
  });

  it("an anchor several entries carry is ambiguous", async () => {
    const r = await run(
      [{ ref: "entra:1" }],
      [
        entry("a", { overstapAnchor: [anchorOf("entra:1")] }),
        entry("b", { overstapAnchor: [anchorOf("entra:1")] }),
      ],
    );
    expect(r.outcome("entra:1")).toBe("dropped");
    expect(r.review).toEqual([
      expect.objectContaining({ rule: "correlation-ambiguous", candidates: [keyOf("a"), keyOf("b")] }),
    ]);
    expect(r.review[0]).not.toHaveProperty("field");
  });

  it("an entry anchored to another person is a conflict, never a link", async () => {
    const r = await run(
      [{ ref: "entra:2", attrs: { mail: ["p.puk@school.nl"] } }],
      [entry("ppuk", { overstapAnchor: [anchorOf("entra:1")], mail: ["p.puk@school.nl"] })],
    );
    expect(r.outcome("entra:2")).toBe("dropped");
    expect(r.review).toEqual([
      expect.objectContaining({
        rule: "correlation-conflict",
        severity: "error",
        field: "mail",
        candidates: [keyOf("ppuk")],
      }),
    ]);
  });

  it("two persons matching the same entry by key both conflict", async () => {
    const r = await run(
      [
        { ref: "entra:1", attrs: { mail: ["gezin@school.nl"] } },
        { ref: "entra:2", attrs: { mail: ["gezin@school.nl"] } },
      ],
      [entry("gezin", { mail: ["gezin@school.nl"] })],
    );
    expect(r.outcome("entra:1")).toBe("dropped");
    expect(r.outcome("entra:2")).toBe("dropped");
    expect(r.review.map((i) => [i.record, i.rule, i.reason])).toEqual([
      ["entra:1", "correlation-conflict", expect.stringContaining("entra:2")],
      ["entra:2", "correlation-conflict", expect.stringContaining("entra:1")],
    ]);
    expect(r.counts).toEqual({ linked: 0, new: 0, ambiguous: 0, conflict: 2 });
  });

  it("the anchored person links; another matching the entry by key conflicts", async () => {
    const r = await run(
      [{ ref: "entra:1" }, { ref: "entra:2", attrs: { mail: ["p@school.nl"] } }],
      [entry("p", { overstapAnchor: [anchorOf("entra:1")], mail: ["p@school.nl"] })],
    );
    expect(r.outcome("entra:1")).toBe(keyOf("p"));
    expect(r.outcome("entra:2")).toBe("dropped");
  });

  it("the entry at the person's own key links before the keys, unless it carries an anchor", async () => {
    const r = await run(
      [
        { ref: "las:1", uid: "p", attrs: { mail: ["q@school.nl"] } },
        { ref: "las:2", uid: "r", attrs: { mail: ["s@school.nl"] } },
      ],
      [
        entry("p", {}),
        entry("q", { mail: ["q@school.nl"] }),
        entry("r", { overstapAnchor: [anchorOf("las:9")] }),
        entry("s", { mail: ["s@school.nl"] }),
      ],
    );
    expect(r.outcome("las:1")).toBe(keyOf("p"));
    expect(r.outcome("las:2")).toBe(keyOf("s"));
  });

  it("a person at an entry's key and another matching it by a key both conflict", async () => {
    const r = await run(
      [
        { ref: "las:1", uid: "p" },
        { ref: "las:2", attrs: { mail: ["p@school.nl"] } },
      ],
      [entry("p", { mail: ["p@school.nl"] })],
    );
    expect(r.outcome("las:1")).toBe("dropped");
    expect(r.outcome("las:2")).toBe("dropped");
    expect(r.review.map((i) => [i.record, i.field])).toEqual([
      ["las:1", "key"],
      ["las:2", "mail"],
    ]);
  });

  it("a link by a key holds when the person's key changes later (an issued uid)", async () => {
    const r = await run(
      [{ ref: "las:1", attrs: { mail: ["p@school.nl"] } }],
      [entry("p", { mail: ["p@school.nl"] })],
    );
    expect(r.target.linked(anchorOf("las:1"), normKey(keyOf("anything-else")))?.key).toBe(keyOf("p"));
  });

  it("ignores group entries, and keys without a confidence or unknown fields are refused", async () => {
    const group: TargetEntry = { key: "cn=g", type: "group", attrs: { mail: ["p@school.nl"] } };
    const r = await run([{ ref: "entra:1", attrs: { mail: ["p@school.nl"] } }], [group]);
    expect(r.outcome("entra:1")).toBeUndefined();
    expect(CorrelationSchema.safeParse({ keys: [{ attribute: "mail" }] }).success).toBe(false);
    expect(CorrelationSchema.safeParse({ keys: ["mail"] }).success).toBe(false);
    expect(CorrelationSchema.safeParse({ keys: [], extra: 1 }).success).toBe(false);
    expect(CorrelationSchema.parse({})).toEqual({ anchor: "eduPersonUniqueId", keys: [], reviewBelow: 0 });
  });

  it("does not depend on input order", async () => {
    const persons: Input[] = [
      { ref: "e:1", attrs: { mail: ["a@s.nl"] } },
      { ref: "e:2", attrs: { mail: ["a@s.nl"] } },
      { ref: "e:3", attrs: { mail: ["c@s.nl"] } },
      { ref: "e:4" },
    ];
    const entries = [entry("a", { mail: ["a@s.nl"] }), entry("c", { mail: ["c@s.nl"] }), entry("d", {})];
    const a = await run(persons, entries);
    const b = await run([...persons].reverse(), [...entries].reverse());
    for (const p of persons) expect(b.outcome(p.ref)).toEqual(a.outcome(p.ref));
    expect(a.outcome("e:3")).toBe(keyOf("c"));
    expect(b.counts).toEqual(a.counts);
  });
});
