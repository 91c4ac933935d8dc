import type { ReviewItem } from "../model/review.js";
import { type Lang, translator } from "./i18n/index.js";
import type { PlanReport } from "./schema.js";
import { cellText, REVIEW_COLUMNS, reviewTable } from "./tables.js";

/** The byte order mark that makes Excel read a CSV file as UTF-8. */
export const UTF8_BOM = "\ufeff";

/** First characters that make a spreadsheet read a cell as a formula (also full-width forms). */
const FORMULA_START = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

/**
 * One CSV cell: a cell that a spreadsheet would run as a formula gets a leading `'`, and a
 * cell holding the delimiter, a quote or a line break is quoted with quotes doubled (RFC 4180).
 */
export function csvCell(value: string, delimiter = ","): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return safe.includes(delimiter) || /["\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One CSV record, ended by CRLF as RFC 4180 prescribes. */
export function csvRow(values: string[], delimiter = ","): string {
  return `${values.map((v) => csvCell(v, delimiter)).join(delimiter)}\r\n`;
}

export interface ReviewCsvOptions {
  /** Language of the header row (default English). */
  lang?: Lang;
  /** `,` (RFC 4180, default) or `;` (what Excel expects with Dutch regional settings). */
  delimiter?: "," | ";";
}

/**
 * The review list as CSV for IT staff to fix at the source: UTF-8 with a byte order mark,
 * a header row, one record per review item; formula injection neutralised in every cell.
 *
 * @example
 * await writeFile("review.csv", renderReviewCsv(review, { lang: "nl", delimiter: ";" }));
 */
export function renderReviewCsv(review: Iterable<ReviewItem>, options: ReviewCsvOptions = {}): string {
  const tr = translator(options.lang ?? "en");
  const d = options.delimiter ?? ",";
  const out = [
    UTF8_BOM,
    csvRow(
      REVIEW_COLUMNS.map((key) => tr.t(key)),
      d,
    ),
  ];
  for (const item of review) {
    out.push(
      csvRow(
        [
          tr.t(`severity.${item.severity}`),
          item.record,
          item.field ?? "",
          item.rule,
          item.reason,
          (item.candidates ?? []).join(" | "),
        ],
        d,
      ),
    );
  }
  return out.join("");
}

/**
 * A plan report's review list as CSV (the same columns the HTML and Markdown review tables
 * show, reasons in the report's language), each row ending in the plan's fingerprint so a
 * sheet passed around still says which plan it belongs to. Needs a report built with names.
 *
 * @example
 * renderReportCsv(buildPlanReport(header, ops, review, { includeNames: true, hash }), { lang: "nl", delimiter: ";" });
 */
export function renderReportCsv(report: PlanReport, options: ReviewCsvOptions = {}): string {
  const tr = translator(options.lang ?? "en");
  const d = options.delimiter ?? ",";
  const table = reviewTable(report, tr);
  const fingerprint = report.plan.fingerprint ?? report.plan.id;
  const out = [UTF8_BOM, csvRow([...table.columns.map((c) => c.label), tr.t("approval.fingerprint")], d)];
  for (const row of table.rows)
    out.push(csvRow([...row.cells.map((c) => cellText(c).replace(/^—$/, "")), fingerprint], d));
  return out.join("");
}
