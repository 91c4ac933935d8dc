import { describe, expect, it } from "vitest";
import { renderHtml } from "../../src/report/html/render.js";
import { buildPlanReport } from "../../src/report/model.js";
import { buildRunReport } from "../../src/report/run-model.js";
import { createPerson, header, journaled, review, run } from "./fixtures.js";

const hostile = `<script>alert('x')</script>"><img src=x onerror=alert(1)>`;

describe("renderHtml (as text)", () => {
  it("escapes every value in a plan report with names, in both languages", () => {
    const report = buildPlanReport(
      header({ institution: hostile, stage: hostile }),
      [createPerson("a", "11ZZ03", "student", { cn: [hostile], eduPersonAffiliation: [hostile] })],
      [review(hostile, "error", { record: hostile, field: hostile, reason: hostile, candidates: [hostile] })],
      { includeNames: true, planFile: hostile },
    );
    for (const lang of ["nl", "en"] as const) {
      const html = renderHtml(report, { lang });
      expect(html).not.toMatch(/<script|<img|onerror=alert\(1\)>/i);
      expect(html).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img");
      expect(html).toContain(`<html lang="${lang}">`);
      expect(html).toContain("Content-Security-Policy");
    }
  });

  it("names a rollback plan as such", () => {
    const report = buildPlanReport(header({ kind: "rollback", rollbackOf: "run-3" }), [], []);
    const html = renderHtml(report, { lang: "nl" });
    expect(html).toContain("<h1>Terugdraaiplan: fase pilot</h1>");
    expect(html).toContain("Dit plan draait uitvoering run-3 terug.");
    expect(html).toContain("Deze fase wijzigt geen accounts");
  });

  it("escapes failure messages in a run report with names", () => {
    const op = createPerson("a", "11ZZ03", "student");
    const report = buildRunReport(
      run(),
      journaled("run-7", 0, "failed", op, { code: hostile, message: hostile }),
      {
        includeNames: true,
      },
    );
    const html = renderHtml(report, { lang: "en" });
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain("<h1>Run report: stage pilot</h1>");
  });
});
