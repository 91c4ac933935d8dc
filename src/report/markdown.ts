import { escapeMarkdown as md } from "./escape.js";
import { type Lang, type Translator, translator } from "./i18n/index.js";
import {
  errorLabel,
  kindsPresent,
  planRisks,
  planSummary,
  profileLabel,
  reasonText,
  runSummary,
  verdictBadge,
  verdictTitle,
} from "./narrative.js";
import type { PlanReport, Report, RunReport } from "./schema.js";
import {
  cellText,
  coverageTable,
  groupsTable,
  missingTable,
  operationsTable,
  type ReportTable,
  reviewTable,
  ruleTable,
  schoolsTable,
  thresholdsTable,
} from "./tables.js";

/**
 * Renders a plan or run report as Markdown with the same content as the HTML report. Every
 * value is escaped, so names cannot add links, formatting or raw HTML.
 *
 * @example
 * process.stdout.write(renderMarkdown(report, { lang: "en" }));
 */
export function renderMarkdown(report: Report, options: { lang: Lang }): string {
  const tr = translator(options.lang);
  const lines = report.kind === "plan" ? planMarkdown(report, tr) : runMarkdown(report, tr);
  return `${lines.join("\n")}\n`;
}

function mdTable(headers: string[], rows: string[][], numeric: boolean[] = []): string[] {
  const align = headers.map((_, i) => (numeric[i] ? "---:" : "---"));
  return [
    `| ${headers.join(" | ")} |`,
    `| ${align.join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ];
}

function num(n: number, tr: Translator): string {
  return n === 0 ? tr.t("table.none") : tr.number(n);
}

function codeSpan(text: string): string {
  return `\`${text
    .replace(/`/g, "'")
    .replace(/[\r\n]+/g, " ")
    .replace(/\|/g, "\\|")}\``;
}

/** A report table (the model every format shares) as a Markdown table. */
function tableLines(t: ReportTable): string[] {
  const cell = (c: ReportTable["rows"][number]["cells"][number]) => md(cellText(c));
  return mdTable(
    t.columns.map((c) => md(c.label)),
    t.rows.map((r) =>
      r.cells.map((c, i) =>
        i === 0 && r.level === "group" && cellText(c) !== "" ? `**${cell(c)}**` : cell(c),
      ),
    ),
    t.columns.map((c) => c.numeric === true),
  );
}

function planMarkdown(report: PlanReport, tr: Translator): string[] {
  const p = report.plan;
  const v = report.verdict;
  const out: string[] = [
    `# ${md(tr.t(p.kind === "rollback" ? "doc.title.rollbackPlan" : "doc.title.plan", { stage: p.stage }))}`,
    "",
    `${md(tr.t("doc.subtitle.plan", { institution: p.institution, date: tr.date(p.createdAt) }))} · **${md(verdictBadge(v, tr))}**${report.names ? ` · **${md(tr.t("doc.badge.names"))}**` : ""}`,
    "",
    `## ${md(verdictTitle(v, tr))}`,
    "",
  ];
  if (v.state === "ready") out.push(md(tr.t("verdict.readyBody")), "");
  else {
    if (v.state === "refused") out.push(md(tr.t("verdict.refusedBody")), "");
    out.push(md(tr.t("verdict.reasons")), "", ...v.reasons.map((r) => `- ${md(reasonText(r, tr))}`), "");
  }
  out.push(
    `## ${md(tr.t("section.summary"))}`,
    "",
    md(planSummary(report, tr).join(" ")),
    "",
    `_${md(tr.t("summary.approval"))}_`,
    "",
    `## ${md(tr.t("section.schools"))}`,
    "",
  );
  if (report.schools.length === 0) out.push(md(tr.t("schools.none")), "");
  else out.push(...tableLines(schoolsTable(report, tr)), "");
  if (report.totals.groups > 0) {
    out.push(`## ${md(tr.t("section.groups"))}`, "", ...tableLines(groupsTable(report, tr)), "");
  }
  out.push(`## ${md(tr.t("section.risks"))}`, "");
  for (const r of planRisks(report, tr)) {
    out.push(`- **${md(tr.t(`risk.${r.level}`))} — ${md(r.title)}:** ${md(r.body)}`);
  }
  out.push("");
  if (report.risks.thresholds.length > 0) {
    out.push(`### ${md(tr.t("section.thresholds"))}`, "", ...tableLines(thresholdsTable(report, tr)), "");
  }
  const { leftOut, warnings } = report.risks;
  if (leftOut.count > 0 || warnings.count > 0) {
    out.push(`## ${md(tr.t("section.leftOut"))}`, "", md(tr.t("leftOut.intro")), "");
    if (leftOut.count > 0)
      out.push(...tableLines(ruleTable("left-out-rules", leftOut.byRule, report, tr)), "");
    if (warnings.count > 0)
      out.push(
        `### ${md(tr.t("leftOut.warnings"))}`,
        "",
        ...tableLines(ruleTable("warning-rules", warnings.byRule, report, tr)),
        "",
      );
  }
  out.push(...readinessLines(report, tr), ...experienceLines(report, tr));
  if (report.names) {
    out.push(`## ${md(tr.t("section.names"))}`, "", ...tableLines(operationsTable(report, tr)), "");
    if (report.names.review.length > 0)
      out.push(`## ${md(tr.t("section.review"))}`, "", ...tableLines(reviewTable(report, tr)), "");
  }
  out.push(`## ${md(tr.t("section.technical"))}`, "");
  out.push(`- ${md(tr.t("tech.planId"))}: ${codeSpan(p.id)}`);
  out.push(
    `- ${md(tr.t("tech.fingerprint"))}: ${p.fingerprint ? codeSpan(p.fingerprint) : md(tr.t("approval.noFingerprint"))}`,
  );
  out.push(`- ${md(tr.t("tech.created"))}: ${md(tr.date(p.createdAt))}`);
  out.push(`- ${md(tr.t("tech.stage"))}: ${md(p.stage)}`);
  out.push(`- ${md(tr.t("tech.profile"))}: ${md(profileLabel(p.profile))}`);
  out.push(`- ${md(tr.t("tech.target"))}: ${codeSpan(p.target)}`);
  out.push(`- ${md(tr.t("tech.population"))}: ${tr.number(report.totals.population.person)}`);
  out.push(`- ${md(tr.t("tech.targetCount"))}: ${tr.number(report.totals.target.person)}`);
  out.push(`- ${md(tr.t("tech.operations"))}: ${tr.number(report.totals.operations)}`);
  for (const [k, val] of Object.entries(p.inputs))
    out.push(`- ${md(tr.t("tech.inputs"))} (${md(k)}): ${codeSpan(val)}`);
  out.push(
    "",
    `## ${md(tr.t("section.approval"))}`,
    "",
    md(tr.t("approval.intro")),
    "",
    `- ${md(tr.t("approval.fingerprint"))}: ${p.fingerprint ? `**${codeSpan(p.fingerprint)}**` : md(tr.t("approval.noFingerprint"))}`,
    `- ${md(tr.t("tech.stage"))}: ${md(p.stage)}`,
    ...(["approval.name", "approval.role", "approval.date", "approval.signature"] as const).map(
      (k) => `- ${md(tr.t(k))}: ____________________`,
    ),
    "",
    `_${md(tr.t("footer.made"))} ${md(tr.t(report.names ? "footer.names" : "footer.aggregate"))}_`,
  );
  return out;
}

function readinessLines(report: PlanReport, tr: Translator): string[] {
  const r = report.readiness;
  if (!r) return [];
  const profile = profileLabel(r.profile);
  const out = [`## ${md(tr.t("section.readiness", { profile }))}`, ""];
  if (r.basis === 0) return [...out, md(tr.t("readiness.none")), ""];
  out.push(
    md(tr.plural("readiness.intro", r.ready, { basis: r.basis, percent: tr.percent(r.percent), profile })),
    "",
    `_${md(tr.t("readiness.basis"))}_`,
    "",
  );
  if (r.requiredRemoved > 0) out.push(md(tr.plural("readiness.removed", r.requiredRemoved)), "");
  if (r.missing.length > 0)
    out.push(`### ${md(tr.t("readiness.missing"))}`, "", ...tableLines(missingTable(report, tr)), "");
  if (r.required.length > 0 && r.creates > 0)
    out.push(
      `### ${md(tr.t("readiness.required"))}`,
      "",
      ...tableLines(coverageTable(r.required, true, tr)),
      "",
    );
  if (r.optional.length > 0 && r.creates > 0)
    out.push(
      `### ${md(tr.t("readiness.optional"))}`,
      "",
      md(tr.t("readiness.optionalIntro")),
      "",
      ...tableLines(coverageTable(r.optional, false, tr)),
      "",
    );
  return out;
}

function experienceLines(report: PlanReport, tr: Translator): string[] {
  const e = report.experience;
  const login =
    e.pattern && (report.totals.person.create ?? 0) > 0
      ? tr.t("experience.login", { attr: e.attribute, pattern: e.pattern })
      : tr.t("experience.noLogin");
  return [
    `## ${md(tr.t("section.experience"))}`,
    "",
    md(login),
    "",
    md(tr.t("experience.when")),
    "",
    md(tr.t("experience.passwords")),
    "",
  ];
}

function runMarkdown(report: RunReport, tr: Translator): string[] {
  const r = report.run;
  const out: string[] = [
    `# ${md(tr.t(r.kind === "rollback" ? "doc.title.rollbackRun" : "doc.title.run", { stage: r.stage }))}`,
    "",
    `${md(tr.t("doc.subtitle.run", { run: r.id, date: tr.date(r.startedAt) }))} · **${md(tr.t(`status.${r.status}`))}**`,
    "",
    `## ${md(tr.t("section.summary"))}`,
    "",
    md(runSummary(report, tr).join(" ")),
    "",
    `## ${md(tr.t("section.runDone"))}`,
    "",
  ];
  const kinds = kindsPresent(
    report.done.person,
    report.done.group,
    report.failed.person,
    report.failed.group,
  );
  if (kinds.length === 0) out.push(md(tr.t("run.nothingDone")), "");
  else {
    out.push(
      ...mdTable(
        [
          md(tr.t("names.change")),
          md(`${tr.t("type.person")}: ${tr.t("run.figure.done").toLowerCase()}`),
          md(`${tr.t("type.group")}: ${tr.t("run.figure.done").toLowerCase()}`),
          md(tr.t("run.figure.failed")),
        ],
        kinds.map((k) => [
          md(tr.t(`kind.${k}`)),
          num(report.done.person[k] ?? 0, tr),
          num(report.done.group[k] ?? 0, tr),
          num((report.failed.person[k] ?? 0) + (report.failed.group[k] ?? 0), tr),
        ]),
        [false, true, true, true],
      ),
      "",
    );
  }
  out.push(`## ${md(tr.t("section.failures"))}`, "");
  if (report.failures.length === 0) out.push(md(tr.t("failures.none")), "");
  else {
    out.push(
      ...mdTable(
        [md(tr.t("failures.cause")), md(tr.t("names.code")), md(tr.t("failures.count"))],
        report.failures.map((f) => [md(errorLabel(f.code, tr)), codeSpan(f.code), tr.number(f.count)]),
        [false, false, true],
      ),
      "",
    );
  }
  out.push(`## ${md(tr.t("section.next"))}`, "");
  const { resume, rollback } = report.commands;
  if (resume) out.push(md(tr.t("next.resume")), "", "```sh", resume, "```", "");
  if (rollback) out.push(md(tr.t("next.rollback")), "", "```sh", rollback, "```", "");
  if (!resume && !rollback) out.push(md(tr.t("next.none")), "");
  if (report.names && report.names.failures.length > 0) {
    out.push(`## ${md(tr.t("section.failureNames"))}`, "");
    out.push(
      ...mdTable(
        [tr.t("names.change"), tr.t("names.key"), tr.t("names.code"), tr.t("names.message")].map(md),
        report.names.failures.map((f) => [
          md(tr.t(`kind.${f.kind}`)),
          md(f.key),
          codeSpan(f.code),
          md(f.message),
        ]),
      ),
      "",
    );
  }
  out.push(`## ${md(tr.t("section.technical"))}`, "");
  out.push(`- ${md(tr.t("tech.run"))}: ${codeSpan(r.id)}`);
  out.push(`- ${md(tr.t("tech.planId"))}: ${codeSpan(r.planId)}`);
  out.push(`- ${md(tr.t("tech.planFile"))}: ${codeSpan(r.planFile)}`);
  out.push(`- ${md(tr.t("tech.started"))}: ${md(tr.date(r.startedAt))}`);
  if (r.finishedAt) out.push(`- ${md(tr.t("tech.finished"))}: ${md(tr.date(r.finishedAt))}`);
  if (r.rollbackOf) out.push(`- ${md(tr.t("tech.rollbackOf"))}: ${codeSpan(r.rollbackOf)}`);
  out.push(
    "",
    `_${md(tr.t("footer.made"))} ${md(tr.t(report.names ? "footer.names" : "footer.aggregate"))}_`,
  );
  return out;
}
