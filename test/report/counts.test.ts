import { describe, expect, it } from "vitest";
import { syntheticPlan } from "../../scripts/bench/report.js";
import type { Operation } from "../../src/model/operation.js";
import { translator } from "../../src/report/i18n/index.js";
import { buildPlanReport } from "../../src/report/model.js";
import { planRisks, planSummary, sumCounts } from "../../src/report/narrative.js";
import { changePerson, createPerson, header, review } from "./fixtures.js";

const addMembers = (group: string, member: string): Operation => ({
  seq: 0,
  kind: "add-members",
  type: "group",
  key: `cn=${group},dc=x`,
  changes: [{ attr: "member", add: [member] }],
  fingerprint: "fp",
});

describe("finding 3: the counts add up", () => {
  it("counts groups and persons as distinct objects, not operations", () => {
    const ops = [
      addMembers("5a", "a"),
      addMembers("5a", "b"),
      addMembers("6a", "c"),
      createPerson("a", "11ZZ", "student"),
    ];
    const report = buildPlanReport(header(), ops, []);
    expect(report.totals.groups).toBe(2);
    expect(sumCounts(report.totals.group)).toBe(3);
    expect(planSummary(report, translator("nl")).join(" ")).toContain("Daarnaast worden 2 groepen");
  });

  it("leaves persons outside the stage out of the stage's left-out count (a pilot of 3 staff)", () => {
    const items = [
      review("mapping", "error", { record: "las:1", field: "sn" }),
      { ...review("mapping", "error", { record: "las:2", field: "sn" }), outsideStage: true as const },
      { ...review("duplicate", "error", { record: "las:3", field: "mail" }), outsideStage: true as const },
    ];
    const report = buildPlanReport(header(), [], items);
    expect(report.risks.leftOut.count).toBe(1);
    expect(report.risks.leftOut.byRule).toEqual([expect.objectContaining({ rule: "mapping", records: 1 })]);
  });

  it("counts persons per rule, not findings", () => {
    const items = [
      review("mapping", "error", { record: "las:1", field: "sn" }),
      review("mapping", "error", { record: "las:1", field: "uid" }),
    ];
    const rule = buildPlanReport(header(), [], items).risks.leftOut.byRule[0];
    expect(rule).toMatchObject({ count: 2, records: 1 });
  });

  it("has the schools table add up to the headline, unknown school included", () => {
    const plan = syntheticPlan(5000);
    const report = buildPlanReport(plan.header, plan.operations, plan.review);
    const table = report.schools.reduce((n, s) => n + s.total, 0);
    expect(table).toBe(sumCounts(report.totals.person));
    expect(report.totals.persons).toBe(
      new Set(plan.operations.filter((o) => o.type === "person").map((o) => o.key)).size,
    );
  });

  it("says the same number of deleted accounts everywhere in a rollback plan", () => {
    const ops = [
      ...["a", "b", "c"].map((u) => changePerson("delete", u, "11ZZ", "student")),
      { seq: 9, kind: "delete", type: "group", key: "cn=5a,dc=x", fingerprint: "fp" } as Operation,
    ];
    const report = buildPlanReport(header({ kind: "rollback", rollbackOf: "run-1" }), ops, []);
    const tr = translator("en");
    expect(planSummary(report, tr).join(" ")).toContain("deletes 3 accounts");
    expect(planRisks(report, tr).find((r) => r.id === "deletes")?.body).toMatch(
      /^3 accounts are deleted.*1 group is deleted/,
    );
  });
});
