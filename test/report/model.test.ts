import { describe, expect, it } from "vitest";
import { ENTREE_PROFILE, syntheticPlan } from "../../scripts/bench/report.js";
import { SafetySchema } from "../../src/config/schema.js";
import { buildPlanReport, profileAttributes } from "../../src/report/model.js";
import { PlanReportSchema } from "../../src/report/schema.js";
import { changePerson, createPerson, ENTREE, header, review } from "./fixtures.js";

describe("buildPlanReport", () => {
  const ops = [
    createPerson("a", "11zz03", "student", { eckId: ["https://ketenid.nl/201703/aa"] }),
    createPerson("b", "11ZZ03", "student"),
    createPerson("c", "11ZZ03", "employee", {}, ["employeeNumber"]),
    createPerson("d", "20DP00", "student", { eduPersonAffiliation: ["member", "student"] }),
    changePerson("update", "e", "11ZZ03", "student", { identityChanges: ["uid"] }),
    changePerson("disable", "f", "20DP00", "employee", { purgeAfter: "2026-09-01T00:00:00Z" }),
    changePerson("disable", "g", "20DP00", "employee", { purgeAfter: "2026-08-01T00:00:00Z" }),
    { seq: 99, kind: "delete" as const, type: "person" as const, key: "uid=h,dc=x", fingerprint: "fp" },
    {
      seq: 100,
      kind: "add-members" as const,
      type: "group" as const,
      key: "cn=g",
      changes: [{ attr: "member", add: ["uid=a,dc=x"] }],
      fingerprint: "fp",
    },
  ];
  const items = [
    review("mapping", "error", { field: "employeeNumber" }),
    review("mapping", "error", { field: "sn" }),
    review("duplicate", "error", { field: "uid" }),
    review("correlation-conflict", "error", { candidates: ["uid=x", "uid=y"] }),
    review("identifier-stable", "warning"),
  ];
  const report = buildPlanReport(header(), ops, items, { profile: ENTREE });

  it("is valid against its own schema and JSON round-trips", () => {
    expect(PlanReportSchema.parse(JSON.parse(JSON.stringify(report)))).toEqual(report);
  });

  it("counts per school × role × operation kind, unknown school last", () => {
    expect(report.schools.map((s) => s.school)).toEqual(["11ZZ03", "20DP00", null]);
    const school = report.schools[0];
    expect(school?.counts).toEqual({ create: 3, update: 1 });
    expect(school?.roles.map((r) => [r.role, r.counts])).toEqual([
      ["student", { create: 2, update: 1 }],
      ["employee", { create: 1 }],
    ]);
    expect(report.schools[1]?.roles.map((r) => [r.role, r.total])).toEqual([
      ["student", 1],
      ["employee", 2],
    ]);
    expect(report.schools[2]).toMatchObject({ school: null, counts: { delete: 1 } });
    expect(report.totals.person).toEqual({ create: 4, update: 1, disable: 2, delete: 1 });
    expect(report.totals.group).toEqual({ "add-members": 1 });
  });

  it("reports the risks", () => {
    const r = report.risks;
    expect(r.identityChanges).toEqual({ count: 1, byAttribute: { uid: 1 } });
    expect(r.leftOut.count).toBe(4);
    expect(r.leftOut.byRule[0]).toEqual({
      rule: "mapping",
      severity: "error",
      count: 2,
      records: 2,
      fields: ["employeeNumber", "sn"],
    });
    expect(r.warnings).toEqual({
      count: 1,
      byRule: [{ rule: "identifier-stable", severity: "warning", count: 1, records: 1, fields: [] }],
    });
    expect(r.ambiguous).toBe(1);
    expect(r.sharedValues).toBe(1);
    expect(r.missingEckId).toEqual({ students: 3, missing: 2 });
    expect(r.disables).toEqual({ person: 2, group: 0, earliestPurge: "2026-08-01T00:00:00Z" });
    expect(r.deletes).toEqual({ person: 1, group: 0 });
  });

  it("measures readiness on the creates and everyone left out", () => {
    const ready = report.readiness;
    expect(ready?.creates).toBe(4);
    expect(ready?.basis).toBe(8);
    expect(ready?.ready).toBe(3);
    expect(ready?.percent).toBe(37.5);
    expect(ready?.required.find((c) => c.attr === "employeeNumber")).toEqual({
      attr: "employeeNumber",
      present: 3,
      percent: 75,
    });
    expect(ready?.optional.find((c) => c.attr === "eckId")?.present).toBe(1);
  });

  it("carries no names, keys or review reasons without includeNames", () => {
    const json = JSON.stringify(report);
    expect(report.names).toBeNull();
    for (const secret of ["Anna", "uid=a,dc=x", "a@voorbeeld", "las:", "reason for"])
      expect(json).not.toContain(secret);
  });

  it("lists persons and the review list with includeNames", () => {
    const named = buildPlanReport(header(), ops, items, { includeNames: true });
    expect(named.names?.operations).toHaveLength(ops.length);
    expect(named.names?.operations[0]).toMatchObject({
      name: "Anna Jansen a",
      school: "11ZZ03",
      role: "student",
      kind: "create",
    });
    expect(named.names?.operations[3]?.role).toBe("student");
    expect(named.names?.review[0]).toMatchObject({ rule: "mapping", reason: "reason for mapping" });
    expect(named.readiness).toBeNull();
  });

  it("checks the configured safety limits per object type", () => {
    const limits = SafetySchema.parse({ person: { maxDisables: { count: 1, percent: 50 } } });
    const checks = buildPlanReport(header(), ops, [], { safety: limits }).risks.thresholds;
    expect(checks.find((c) => c.type === "person" && c.kind === "disable")).toEqual({
      type: "person",
      kind: "disable",
      actual: 2,
      base: 100,
      percent: 2,
      maxCount: 1,
      maxPercent: 50,
      exceeded: true,
    });
    expect(buildPlanReport(header(), ops, []).risks.thresholds).toEqual([]);
  });

  it("reads the school from schacHomeOrganization through configuration", () => {
    const op = createPerson("x", "", "employee", { schacHomeOrganization: ["hva.nl"] }, [
      "nlEduPersonHomeOrganizationId",
    ]);
    const mapped = buildPlanReport(header(), [op], [], {
      attributes: { homeOrganizations: { "hva.nl": "28DN" } },
    });
    expect(mapped.schools[0]?.school).toBe("28DN");
    expect(buildPlanReport(header(), [op], []).schools[0]?.school).toBe("hva.nl");
  });

  it("counts an update that removes a required attribute", () => {
    const op = {
      ...changePerson("update", "z", "11ZZ03", "student"),
      changes: [{ attr: "sn", replace: [] }],
    };
    expect(buildPlanReport(header(), [op], [], { profile: ENTREE }).readiness?.requiredRemoved).toBe(1);
  });

  it("takes required and optional attributes from a loaded profile", () => {
    expect(
      profileAttributes({
        name: "entree",
        attributes: [
          { name: "uid", min: 1 },
          { name: "mail", min: 0 },
        ],
      }),
    ).toEqual({ name: "entree", required: ["uid"], optional: ["mail"] });
  });

  it("aggregates 100k operations in well under a second of CPU time", () => {
    const plan = syntheticPlan(100_000);
    buildPlanReport(plan.header, plan.operations.slice(0, 1000), plan.review, { profile: ENTREE_PROFILE });
    const cpu = process.cpuUsage();
    const big = buildPlanReport(plan.header, plan.operations, plan.review, { profile: ENTREE_PROFILE });
    const used = process.cpuUsage(cpu);
    expect(big.totals.operations).toBe(100_000);
    expect((used.user + used.system) / 1000).toBeLessThan(1000);
  });
});
