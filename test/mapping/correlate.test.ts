import { describe, expect, it } from "vitest";
import {
  type CorrelationConfigInput,
  CorrelationConfigSchema,
  correlate,
  indexTarget,
  type MappedPerson,
} from "../../src/mapping/correlate.js";
import type { TargetEntry } from "../../src/model/target-entry.js";

const entry = (uid: string, attrs: Record<string, string[]>): TargetEntry => ({
  key: `uid=${uid},ou=people,dc=school,dc=nl`,
  type: "person",
  attrs: { uid: [uid], ...attrs },
});

const person = (ref: string, attrs: Record<string, string[]>): MappedPerson => ({ ref, attrs });

const config: CorrelationConfigInput = {
  anchor: { attribute: "overstapSourceRef" },
  keys: [
    { attribute: "eduPersonPrincipalName", confidence: 0.95 },
    { attribute: "mail", confidence: 0.8 },
    { attribute: "employeeNumber", confidence: 0.6, match: "exact" },
  ],
  reviewBelow: 0.7,
};

function run(persons: MappedPerson[], entries: TargetEntry[], cfg: CorrelationConfigInput = config) {
  return correlate(persons, indexTarget(entries, CorrelationConfigSchema.parse(cfg)));
}

describe("correlate", () => {
  it("links by anchor first, even when a key points elsewhere", () => {
    const r = run(
      [person("entra:1", { mail: ["b@school.nl"] })],
      [entry("a", { overstapSourceRef: ["entra:1"] }), entry("b", { mail: ["b@school.nl"] })],
    );
    expect(r.byRef.get("entra:1")).toEqual({
      outcome: "linked",
      ref: "entra:1",
      key: "uid=a,ou=people,dc=school,dc=nl",
      by: "anchor",
      confidence: 1,
    });
    expect(r.unmatched).toEqual(["uid=b,ou=people,dc=school,dc=nl"]);
    expect(r.counts).toEqual({ linked: 1, new: 0, ambiguous: 0, conflict: 0 });
  });

  it("links by the first key that matches, mail case-insensitively, with its confidence", () => {
    const r = run(
      [person("entra:1", { mail: [" P.Puk@School.NL "], eduPersonPrincipalName: ["nobody@school.nl"] })],
      [entry("ppuk", { mail: ["p.puk@school.nl"] })],
    );
    expect(r.byRef.get("entra:1")).toMatchObject({ outcome: "linked", by: "mail", confidence: 0.8 });
    expect(r.review).toEqual([]);
  });

  it("reads attribute names case-insensitively on both sides", () => {
    const r = run(
      [person("entra:1", { MAIL: ["p@school.nl"] }), person("entra:2", {})],
      [entry("p", { Mail: ["p@school.nl"] }), entry("q", { OverstapSourceRef: ["entra:2"] })],
    );
    expect(r.byRef.get("entra:1")).toMatchObject({ outcome: "linked", by: "mail" });
    expect(r.byRef.get("entra:2")).toMatchObject({ outcome: "linked", by: "anchor" });
  });

  it("a key listed earlier wins over a later one", () => {
    const r = run(
      [person("entra:1", { eduPersonPrincipalName: ["p@school.nl"], mail: ["m@school.nl"] })],
      [
        entry("byMail", { mail: ["m@school.nl"] }),
        entry("byEppn", { eduPersonPrincipalName: ["P@school.nl"] }),
      ],
    );
    expect(r.byRef.get("entra:1")).toMatchObject({ outcome: "linked", by: "eduPersonPrincipalName" });
  });

  it("exact keys compare exactly; a weak link is reported as a warning", () => {
    const r = run(
      [person("las:1", { employeeNumber: ["140136"] }), person("las:2", { employeeNumber: ["A7"] })],
      [entry("x", { employeeNumber: ["140136"] }), entry("y", { employeeNumber: ["a7"] })],
    );
    expect(r.byRef.get("las:1")).toMatchObject({ outcome: "linked", by: "employeeNumber", confidence: 0.6 });
    expect(r.byRef.get("las:2")).toEqual({ outcome: "new", ref: "las:2" });
    expect(r.review).toEqual([
      expect.objectContaining({
        record: "las:1",
        field: "employeeNumber",
        rule: "correlation-weak",
        severity: "warning",
        candidates: ["uid=x,ou=people,dc=school,dc=nl"],
      }),
    ]);
  });

  it("no match means new", () => {
    const r = run(
      [person("entra:1", { mail: ["new@school.nl"] })],
      [entry("a", { mail: ["old@school.nl"] })],
    );
    expect(r.byRef.get("entra:1")).toEqual({ outcome: "new", ref: "entra:1" });
    expect(r.counts.new).toBe(1);
  });

  it("several candidates are ambiguous and go to review with their keys", () => {
    const r = run(
      [person("entra:1", { mail: ["shared@school.nl"] })],
      [entry("b", { mail: ["shared@school.nl"] }), entry("a", { mail: ["SHARED@school.nl"] })],
    );
    expect(r.byRef.get("entra:1")).toMatchObject({ outcome: "ambiguous", by: "mail" });
    expect(r.review).toEqual([
      {
        record: "entra:1",
        field: "mail",
        rule: "correlation-ambiguous",
        reason: expect.stringContaining("2 target entries match by mail"),
        severity: "error",
        candidates: ["uid=a,ou=people,dc=school,dc=nl", "uid=b,ou=people,dc=school,dc=nl"],
      },
    ]);
    expect(r.unmatched).toHaveLength(2);
  });

  it("several values of one person matching different entries are ambiguous", () => {
    const r = run(
      [person("entra:1", { mail: ["a@school.nl", "b@school.nl"] })],
      [entry("a", { mail: ["a@school.nl"] }), entry("b", { mail: ["b@school.nl"] })],
    );
    expect(r.byRef.get("entra:1")?.outcome).toBe("ambiguous");
  });

  it("duplicate anchors are ambiguous", () => {
    const r = run(
      [person("entra:1", {})],
      [entry("a", { overstapSourceRef: ["entra:1"] }), entry("b", { overstapSourceRef: ["entra:1"] })],
    );
    expect(r.byRef.get("entra:1")).toMatchObject({ outcome: "ambiguous", by: "anchor" });
    expect(r.review[0]).not.toHaveProperty("field");
  });

  it("an entry anchored to another person is a conflict, never a link", () => {
    const r = run(
      [person("entra:2", { mail: ["p.puk@school.nl"] })],
      [entry("ppuk", { overstapSourceRef: ["entra:1"], mail: ["p.puk@school.nl"] })],
    );
    expect(r.byRef.get("entra:2")).toMatchObject({
      outcome: "conflict",
      candidates: ["uid=ppuk,ou=people,dc=school,dc=nl"],
    });
    expect(r.review[0]).toMatchObject({ rule: "correlation-conflict", severity: "error", field: "mail" });
    expect(r.unmatched).toEqual(["uid=ppuk,ou=people,dc=school,dc=nl"]);
  });

  it("an entry carrying the anchors of two persons conflicts for both", () => {
    const r = run(
      [person("entra:1", {}), person("entra:2", {})],
      [entry("p", { overstapSourceRef: ["entra:1", "entra:2"] })],
    );
    expect(r.byRef.get("entra:1")).toMatchObject({
      outcome: "conflict",
      by: "anchor",
      reason: expect.stringContaining("entra:2"),
    });
    expect(r.byRef.get("entra:2")).toMatchObject({ outcome: "conflict", by: "anchor" });
  });

  it("two persons matching the same entry by key both conflict", () => {
    const r = run(
      [person("entra:1", { mail: ["gezin@school.nl"] }), person("entra:2", { mail: ["gezin@school.nl"] })],
      [entry("gezin", { mail: ["gezin@school.nl"] })],
    );
    expect(r.byRef.get("entra:1")).toMatchObject({
      outcome: "conflict",
      reason: expect.stringContaining("entra:2"),
    });
    expect(r.byRef.get("entra:2")).toMatchObject({
      outcome: "conflict",
      reason: expect.stringContaining("entra:1"),
    });
    expect(r.counts).toEqual({ linked: 0, new: 0, ambiguous: 0, conflict: 2 });
    expect(r.unmatched).toEqual(["uid=gezin,ou=people,dc=school,dc=nl"]);
  });

  it("the anchored person links; another matching the entry by key conflicts", () => {
    const r = run(
      [person("entra:1", {}), person("entra:2", { mail: ["p@school.nl"] })],
      [entry("p", { overstapSourceRef: ["entra:1"], mail: ["p@school.nl"] })],
    );
    expect(r.byRef.get("entra:1")).toMatchObject({ outcome: "linked", by: "anchor" });
    expect(r.byRef.get("entra:2")).toMatchObject({ outcome: "conflict" });
  });

  it("the anchor can hold the id alone or the person's mapped value", () => {
    const byId = run([person("las:140136", {})], [entry("a", { employeeNumber: ["140136"] })], {
      anchor: { attribute: "employeeNumber", value: "id" },
    });
    expect(byId.byRef.get("las:140136")).toMatchObject({ outcome: "linked", by: "anchor" });
    const mapped = run(
      [person("entra:9", { employeeNumber: ["140136"] })],
      [entry("a", { employeeNumber: ["140136"] })],
      {
        anchor: { attribute: "employeeNumber", value: "mapped" },
      },
    );
    expect(mapped.byRef.get("entra:9")).toMatchObject({ outcome: "linked", by: "anchor" });
  });

  it("ignores group entries and unknown configuration keys are refused", () => {
    const group: TargetEntry = { key: "cn=g", type: "group", attrs: { mail: ["p@school.nl"] } };
    const r = run([person("entra:1", { mail: ["p@school.nl"] })], [group]);
    expect(r.byRef.get("entra:1")?.outcome).toBe("new");
    expect(r.unmatched).toEqual([]);
    expect(CorrelationConfigSchema.safeParse({ keys: [{ attribute: "mail" }] }).success).toBe(false);
    expect(CorrelationConfigSchema.safeParse({ keys: [], extra: 1 }).success).toBe(false);
  });

  it("does not depend on input order", () => {
    const persons = [
      person("e:1", { mail: ["a@s.nl"] }),
      person("e:2", { mail: ["a@s.nl"] }),
      person("e:3", { mail: ["c@s.nl"] }),
      person("e:4", {}),
    ];
    const entries = [entry("a", { mail: ["a@s.nl"] }), entry("c", { mail: ["c@s.nl"] }), entry("d", {})];
    const a = run(persons, entries);
    const b = run([...persons].reverse(), [...entries].reverse());
    expect(Object.fromEntries(b.byRef)).toEqual(Object.fromEntries(a.byRef));
    expect([...b.unmatched].sort()).toEqual([...a.unmatched].sort());
  });
});
