import { randomBytes } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";
import { OverstapError } from "../errors.js";
import type { JournalRecord, Run } from "../model/journal.js";
import type { Operation } from "../model/operation.js";
import type { PlanHeader } from "../model/plan.js";
import type { ReviewItem } from "../model/review.js";
import { renderReportCsv } from "./csv.js";
import { renderHtml } from "./html/render.js";
import type { Lang } from "./i18n/index.js";
import { renderJson } from "./json.js";
import { renderMarkdown } from "./markdown.js";
import { buildPlanReport, type PlanReportOptions } from "./model.js";
import { buildRunReport } from "./run-model.js";
import type { PlanReport, Report } from "./schema.js";

export type ReportFormat = "html" | "md" | "json" | "csv";

/** What to report on: a parsed plan, or a run with its journal. */
export type ReportSubject =
  | ({
      kind: "plan";
      header: PlanHeader;
      operations: Iterable<Operation>;
      review: Iterable<ReviewItem>;
    } & Omit<PlanReportOptions, "includeNames">)
  | { kind: "run"; run: Run; journal: Iterable<JournalRecord> };

export type WriteReportOptions = ReportSubject & {
  format: ReportFormat;
  /** Report language (default Dutch). */
  lang?: Lang;
  /** Names and keys of persons (IT staff); board reports leave them out. */
  includeNames?: boolean;
  /** File to write (created with mode 0600); without it, or as `-`, the report goes to `stdout`. */
  out?: string;
  /** Where the report goes without `out` (default `process.stdout`). */
  stdout?: { write(chunk: string): unknown };
};

/**
 * Builds a plan or run report and writes it as HTML, Markdown, JSON or (plans only) the
 * review list as CSV. A file is written whole or not at all (temporary file, then rename).
 *
 * @example
 * await writeReport({ kind: "plan", header, operations, review, format: "html", lang: "nl", out: "rapport.html" });
 */
export async function writeReport(
  options: WriteReportOptions,
): Promise<{ bytes: number; out: string | null }> {
  const lang = options.lang ?? "nl";
  const text = render(options, lang);
  if (options.out === undefined || options.out === "-") {
    (options.stdout ?? process.stdout).write(text);
    return { bytes: Buffer.byteLength(text), out: null };
  }
  await writeWhole(options.out, text);
  return { bytes: Buffer.byteLength(text), out: options.out };
}

function render(options: WriteReportOptions, lang: Lang): string {
  if (options.format === "csv") {
    if (options.kind !== "plan") {
      throw new OverstapError(
        "USAGE",
        `report of run ${options.run.id}: --format csv exports a plan's review list`,
        {
          hint: "use --format html, md or json for a run",
        },
      );
    }
    return renderReportCsv(planReport(options, true), { lang, delimiter: lang === "nl" ? ";" : "," });
  }
  const report: Report =
    options.kind === "plan"
      ? planReport(options, options.includeNames === true)
      : buildRunReport(options.run, options.journal, { includeNames: options.includeNames === true });
  switch (options.format) {
    case "html":
      return renderHtml(report, { lang });
    case "md":
      return renderMarkdown(report, { lang });
    case "json":
      return renderJson(report);
    default:
      throw new OverstapError("USAGE", `unknown report format "${String(options.format)}"`, {
        hint: "use --format html, md, json or csv",
      });
  }
}

function planReport(
  options: Extract<WriteReportOptions, { kind: "plan" }>,
  includeNames: boolean,
): PlanReport {
  return buildPlanReport(options.header, options.operations, options.review, { ...options, includeNames });
}

async function writeWhole(path: string, text: string): Promise<void> {
  const tmp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(tmp, text, { mode: 0o600, flag: "wx" });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new OverstapError("REPORT_WRITE", `cannot write the report to ${path}: ${(err as Error).message}`, {
      cause: err,
      hint: "check that the folder exists and is writable, or choose another --out",
    });
  }
}
