import { describe, expect, it } from "vitest";
import { SafetySchema } from "../../src/config/schema.js";
import { checkRails } from "../../src/plan/safety.js";
import { renderHtml } from "../../src/report/html/render.js";
import { translator } from "../../src/report/i18n/index.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { buildPlanReport } from "../../src/report/model.js";
import { planRisks } from "../../src/report/narrative.js";
import { checkThresholds } from "../../src/report/thresholds.js";
import { changePerson, createPerson, ENTREE, header } from "./fixtures.js";

/** The safety limits as `overstap plan` reads them: the README's `safety:` through the config schema. */
const safety = (person: object) => SafetySchema.parse({ person });

/** A plan that disables every account of the target (the refusal of finding 1). */
function everyoneDisabled() {
  const ops = ["a", "b", "c", "d"].map((u) => changePerson("disable", u, "11ZZ03", "student"));
  const h = header();
  h.summary.person = { disable: 4 };
  h.summary.target = { person: 4, group: 0 };
  return { header: h, ops };
}

describe("finding 1: safety limits as configured", () => {
  it("reads `safety: { person: { maxDisables } }` as the README writes it", () => {
    const { header: h, ops } = everyoneDisabled();
    const report = buildPlanReport(h, ops, [], {
      safety: safety({ maxDisables: { count: 1, percent: 10 } }),
    });
    const disable = report.risks.thresholds.find((c) => c.type === "person" && c.kind === "disable");
    expect(disable).toMatchObject({ actual: 4, percent: 100, maxCount: 1, maxPercent: 10, exceeded: true });
    expect(report.verdict.state).toBe("refused");
  });

  it("marks exceeded exactly the limits `overstap plan` refuses on", () => {
    for (const [disables, target, count, percent] of [
      [0, 0, 0, 0],
      [3, 0, 5, 50],
      [5, 10, 5, 50],
      [6, 10, 5, 50],
      [5, 9, 5, 50],
      [1, 1000, 0, 100],
    ] as const) {
      const h = header();
      h.summary.person = { disable: disables };
      h.summary.target = { person: target, group: 0 };
      const limits = safety({ maxDisables: { count, percent } });
      const refused = checkRails(h.summary, limits).some((v) => v.rail === "maxDisables");
      const check = checkThresholds(limits, h.summary).find(
        (c) => c.type === "person" && c.kind === "disable",
      );
      expect(check?.exceeded, `${disables}/${target} against ${count}, ${percent}%`).toBe(refused);
    }
  });

  it("never calls a refused plan ready for approval, nor its limits in order", () => {
    const { header: h, ops } = everyoneDisabled();
    const report = buildPlanReport(h, ops, [], {
      safety: safety({ maxDisables: { count: 1, percent: 10 } }),
    });
    for (const lang of ["nl", "en"] as const) {
      const tr = translator(lang);
      const text = renderMarkdown(report, { lang }) + renderHtml(report, { lang });
      expect(text).not.toContain(tr.t("doc.badge.plan"));
      expect(text).toContain(tr.t("verdict.refused"));
      expect(planRisks(report, tr).find((r) => r.id === "thresholds")?.level).toBe("high");
    }
  });

  it("shows every configured limit, and no limits as a warning, never as in order", () => {
    const report = buildPlanReport(header(), [createPerson("a", "11ZZ03", "student")], [], {
      profile: ENTREE,
    });
    expect(report.risks.thresholds).toEqual([]);
    expect(report.verdict.reasons.map((r) => r.code)).toContain("no-safety-limits");
    expect(planRisks(report, translator("nl")).find((r) => r.id === "thresholds")?.level).toBe("attention");
    const limited = buildPlanReport(header(), [createPerson("a", "11ZZ03", "student")], [], {
      profile: ENTREE,
      safety: SafetySchema.parse({}),
    });
    expect(limited.risks.thresholds.map((c) => `${c.type}.${c.kind}`)).toEqual([
      "person.disable",
      "person.delete",
      "group.disable",
      "group.delete",
    ]);
    expect(limited.verdict).toEqual({ state: "ready", reasons: [] });
  });
});

describe("the verdict", () => {
  const limits = SafetySchema.parse({});

  it("lists what awaits consent: identity changes, adoptions and deletes", () => {
    const ops = [
      changePerson("update", "a", "11ZZ03", "student", { identityChanges: ["uid"] }),
      changePerson("update", "b", "11ZZ03", "student", { adopt: true }),
      changePerson("delete", "c", "11ZZ03", "student"),
    ];
    const report = buildPlanReport(header(), ops, [], { safety: limits });
    expect(report.verdict.state).toBe("not-ready");
    expect(report.verdict.reasons).toEqual([
      { code: "identity-changes", count: 1 },
      { code: "adoptions", count: 1 },
      { code: "deletes", count: 1 },
    ]);
  });

  it("is not ready when more people are left out than the configured share, or required data is missing", () => {
    const ops = [createPerson("a", "11ZZ03", "student"), createPerson("b", "11ZZ03", "student", {}, ["sn"])];
    const h = header();
    h.summary.population = { person: 2, group: 0 };
    const report = buildPlanReport(
      h,
      ops,
      [{ record: "las:9", rule: "mapping", field: "sn", reason: "x", severity: "error" }],
      {
        safety: limits,
        profile: ENTREE,
        policy: { maxLeftOutPercent: 10 },
      },
    );
    expect(report.verdict.reasons).toEqual([
      { code: "left-out", count: 1, percent: (1 / 3) * 100, limit: 10 },
      { code: "required-missing", count: 1 },
    ]);
  });
});
