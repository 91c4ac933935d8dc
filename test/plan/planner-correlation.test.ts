/**
 * The planner correlates mapped persons with entries already in the target: by the anchor, then
 * by the entry at the same key, then by the configured keys (mail, pupil number) with their
 * confidence. Runs buildPlan on a real SQLite store and an in-memory target.
 */
import { describe, expect, it } from "vitest";
import type { Operation } from "../../src/model/operation.js";
import type { PersonInput } from "../../src/model/person.js";
import type { TargetEntry } from "../../src/model/target-entry.js";
import { anchorFor } from "../../src/plan/keys.js";
import { account, correlationWorld, dn } from "../support/correlation-world.js";
import { configText, person as pupil } from "../support/spine.js";

const anchor = (ref: string) => anchorFor(ref, "school.nl");

const CONFIG = configText(`correlation:
  keys:
    - { attribute: mail, confidence: 0.9 }
    - { attribute: employeeNumber, confidence: 0.6, match: exact }
  reviewBelow: 0.7
`);

const setUp = (persons: PersonInput[], entries: TargetEntry[]) => correlationWorld(persons, entries, CONFIG);

const opsOf = (ops: Operation[], ref: string) => ops.filter((op) => op.ref === ref);
const anchorChange = (op: Operation | undefined) => op?.changes?.find((c) => c.attr === "eduPersonUniqueId");

describe("planner correlation", () => {
  it("links by anchor even when a configured key points at another entry", async () => {
    const w = await setUp(
      [pupil("1", "Piet", "Puk", { mail: "p.puk@school.nl" })],
      [
        account("p.puk", {
          givenName: ["Piet"],
          sn: ["Puk"],
          cn: ["Piet Puk"],
          objectClass: ["inetOrgPerson", "eduPerson"],
          eduPersonUniqueId: [anchor("las:1")],
        }),
        account("other", { mail: ["p.puk@school.nl"] }),
      ],
    );
    const plan = await w.plan();
    expect(opsOf(plan.operations, "las:1")).toEqual([
      expect.objectContaining({ kind: "update", key: dn("p.puk") }),
    ]);
    expect(plan.review).toEqual([]);
  });

  it("links a hand-made account by mail, keeps its uid and writes the anchor; the next plan links by anchor", async () => {
    const w = await setUp(
      [pupil("2", "Piet", "Puk", { mail: "P.Puk@School.nl" })],
      [account("piet", { mail: ["p.puk@school.nl"] })],
    );
    const plan = await w.plan();
    const ops = opsOf(plan.operations, "las:2");
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({ kind: "update", key: dn("piet"), adopt: true });
    expect(anchorChange(ops[0])).toMatchObject({ replace: [anchor("las:2")] });
    expect(ops[0]?.changes?.find((c) => c.attr === "uid")).toBeUndefined();
    expect(plan.operations.filter((op) => op.kind === "create")).toEqual([]);
    expect(plan.header.summary.adoptions).toBe(1);
    expect(plan.review).toEqual([
      expect.objectContaining({ record: "las:2", field: "mail", rule: "adoption", candidates: [dn("piet")] }),
    ]);

    for (const op of plan.operations) await w.target.apply(op);
    await w.target.apply({
      seq: 0,
      kind: "update",
      type: "person",
      key: dn("piet"),
      changes: [{ attr: "mail", replace: ["changed@school.nl"] }],
      fingerprint: null,
    });
    const again = await w.plan();
    expect(opsOf(again.operations, "las:2")).toEqual([
      expect.objectContaining({
        kind: "update",
        key: dn("piet"),
        changes: [expect.objectContaining({ attr: "mail" })],
      }),
    ]);
    expect(again.review).toEqual([]);
  });

  it("creates a person nothing matches", async () => {
    const w = await setUp(
      [pupil("3", "Nora", "Nieuw", { mail: "n.nieuw@school.nl", number: "140003" })],
      [account("someone", { mail: ["someone@school.nl"], employeeNumber: ["140004"] })],
    );
    const plan = await w.plan();
    expect(opsOf(plan.operations, "las:3")).toEqual([
      expect.objectContaining({ kind: "create", key: dn("n.nieuw") }),
    ]);
    expect(plan.review).toEqual([]);
  });

  it("leaves a person out when two entries have their mail (ambiguous), with both as candidates", async () => {
    const w = await setUp(
      [pupil("4", "Sam", "Samen", { mail: "gezin@school.nl" })],
      [account("a", { mail: ["gezin@school.nl"] }), account("b", { mail: ["GEZIN@school.nl"] })],
    );
    const plan = await w.plan();
    expect(opsOf(plan.operations, "las:4")).toEqual([]);
    expect(plan.operations).toEqual([]);
    expect(plan.review).toEqual([
      expect.objectContaining({
        record: "las:4",
        field: "mail",
        rule: "correlation-ambiguous",
        severity: "error",
        candidates: [dn("a"), dn("b")],
      }),
    ]);
  });

  it("leaves a person out when the only match carries another person's anchor (conflict), and issues no uid", async () => {
    const w = await setUp(
      [pupil("5", "Piet", "Puk", { mail: "p.puk@school.nl" }), pupil("6", "Ali", "Ander")],
      [account("p.puk", { mail: ["p.puk@school.nl"], eduPersonUniqueId: [anchor("las:6")] })],
    );
    const plan = await w.plan();
    expect(opsOf(plan.operations, "las:5")).toEqual([]);
    expect(plan.review).toEqual([
      expect.objectContaining({
        record: "las:5",
        field: "mail",
        rule: "correlation-conflict",
        severity: "error",
        candidates: [dn("p.puk")],
      }),
    ]);
    expect((await w.store.getValues("uid", ["las:5", "las:6"])).has("las:5")).toBe(false);
  });

  it("leaves out both persons when two of them claim one entry", async () => {
    const w = await setUp(
      [
        pupil("7", "Eva", "Een", { mail: "gezin@school.nl" }),
        pupil("8", "Tom", "Twee", { number: "140008" }),
      ],
      [account("gezin", { mail: ["gezin@school.nl"], employeeNumber: ["140008"] })],
    );
    const plan = await w.plan();
    expect(plan.operations).toEqual([]);
    expect(plan.review.map((r) => [r.record, r.rule, r.candidates])).toEqual([
      ["las:7", "correlation-conflict", [dn("gezin")]],
      ["las:8", "correlation-conflict", [dn("gezin")]],
    ]);
    expect(plan.review[0]?.reason).toContain("las:8");
  });

  it("links a hand-made account by pupil number with a weak-link warning, and does not create or disable it", async () => {
    const w = await setUp(
      [
        pupil("140009", "Daan", "Berg", { number: "140009", mail: "daan@thuis.nl" }),
        pupil("10", "Nora", "Nieuw"),
      ],
      [
        account("dberg", { employeeNumber: ["140009"] }),
        account("vertrokken", { eduPersonUniqueId: [anchor("las:999")] }),
      ],
    );
    const plan = await w.plan();
    const ops = opsOf(plan.operations, "las:140009");
    expect(ops).toEqual([expect.objectContaining({ kind: "update", key: dn("dberg"), adopt: true })]);
    expect(anchorChange(ops[0])).toMatchObject({ replace: [anchor("las:140009")] });
    expect(plan.review).toEqual([
      expect.objectContaining({
        record: "las:140009",
        field: "employeeNumber",
        rule: "correlation-weak",
        severity: "warning",
        candidates: [dn("dberg")],
      }),
      expect.objectContaining({ record: "las:140009", field: "employeeNumber", rule: "adoption" }),
    ]);
    const disabled = plan.operations.filter((op) => op.kind === "disable").map((op) => op.key);
    expect(disabled).toEqual([dn("vertrokken")]);
    const created = plan.operations.filter((op) => op.kind === "create");
    expect(created.map((op) => op.ref)).toEqual(["las:10"]);
  });

  it("compares a key with match: exact exactly", async () => {
    const w = await setUp(
      [pupil("11", "Bo", "Bakker", { number: "a7" })],
      [account("bo", { employeeNumber: ["A7"] })],
    );
    const plan = await w.plan();
    expect(opsOf(plan.operations, "las:11").map((op) => op.kind)).toEqual(["create"]);
  });

  it("creates nothing twice and never a person it linked", async () => {
    const w = await setUp(
      [
        pupil("20", "An", "Anker"),
        pupil("21", "Mo", "Mail", { mail: "mo@school.nl" }),
        pupil("22", "Pim", "Pupil", { number: "140022" }),
        pupil("23", "Nel", "Nieuw", { mail: "nel@school.nl" }),
        pupil("24", "Ad", "Dubbel", { mail: "dubbel@school.nl" }),
      ],
      [
        account("an", { eduPersonUniqueId: [anchor("las:20")] }),
        account("mo", { mail: ["mo@school.nl"] }),
        account("pim", { employeeNumber: ["140022"] }),
        account("d1", { mail: ["dubbel@school.nl"] }),
        account("d2", { mail: ["dubbel@school.nl"] }),
      ],
    );
    const plan = await w.plan();
    const created = plan.operations.filter((op) => op.kind === "create");
    expect(created.map((op) => op.ref)).toEqual(["las:23"]);
    const keys = plan.operations.map((op) => `${op.kind} ${op.key}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(plan.operations.filter((op) => op.kind === "update").map((op) => op.key)).toEqual(
      expect.arrayContaining([dn("mo"), dn("pim")]),
    );
    expect(plan.header.summary.person.create).toBe(1);
  });
});
