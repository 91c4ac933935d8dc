import type { Report } from "./schema.js";

/**
 * Renders a plan or run report as JSON (pretty-printed, one trailing newline). The shape is
 * `PlanReportSchema` / `RunReportSchema` and is documented in docs/report-format.md.
 */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
