import { type Lang, translator } from "../i18n/index.js";
import type { Report } from "../schema.js";
import { planHtml } from "./plan.js";
import { runHtml } from "./run.js";

/**
 * Renders a plan or run report as one self-contained HTML file: inline CSS and SVG, no
 * scripts, fonts, images or requests (a Content-Security-Policy forbids them), an A4 print
 * layout, and every value escaped.
 *
 * @example
 * await writeFile("report.html", renderHtml(buildPlanReport(header, ops, review), { lang: "nl" }));
 */
export function renderHtml(report: Report, options: { lang: Lang }): string {
  const tr = translator(options.lang);
  return report.kind === "plan" ? planHtml(report, tr) : runHtml(report, tr);
}
