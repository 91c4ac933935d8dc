import type { OperationKind } from "../model/operation.js";
import { escapeMarkdown as md } from "./escape.js";
import { type Lang, type Translator, translator } from "./i18n/index.js";
import {
  errorLabel,
  kindsPresent,
  planRisks,
  planSummary,
  profileLabel,
  roleLabel,
  ruleLabel,
  runSummary,
  schoolLabel,
  sumCounts,
} from "./narrative.js";
import type { KindCounts, PlanReport, Report, RuleGroup, RunReport } from "./schema.js";

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

function planMarkdown(report: PlanReport, tr: Translator): string[] {
  const p = report.plan;
  const out: string[] = [
    `# ${md(tr.t(p.kind === "rollback" ? "doc.title.rollbackPlan" : "doc.title.plan", { stage: p.stage }))}`,
    "",
    `${md(tr.t("doc.subtitle.plan", { institution: p.institution, date: tr.date(p.createdAt) }))} · **${md(tr.t("doc.badge.plan"))}**${report.names ? ` · **${md(tr.t("doc.badge.names"))}**` : ""}`,
    "",
    `## ${md(tr.t("section.summary"))}`,
    "",
    md(planSummary(report, tr).join(" ")),
    "",
    `_${md(tr.t("summary.approval"))}_`,
    "",
    `## ${md(tr.t("section.schools"))}`,
    "",
  ];
  if (report.schools.length === 0) out.push(md(tr.t("schools.none")), "");
  else {
    const kinds = kindsPresent(...report.schools.map((s) => s.counts));
    const cells = (c: KindCounts, total: number) => [...kinds.map((k) => num(c[k] ?? 0, tr)), num(total, tr)];
    const rows: string[][] = [];
    for (const s of report.schools) {
      if (s.roles.length === 1 && s.roles[0]) {
        rows.push([
          md(schoolLabel(s.school, tr)),
          md(roleLabel(s.roles[0].role, tr)),
          ...cells(s.counts, s.total),
        ]);
        continue;
      }
      rows.push([`**${md(schoolLabel(s.school, tr))}**`, "", ...cells(s.counts, s.total)]);
      for (const r of s.roles) rows.push(["", md(roleLabel(r.role, tr)), ...cells(r.counts, r.total)]);
    }
    out.push(
      ...mdTable(
        [
          md(tr.t("schools.school")),
          md(tr.t("schools.role")),
          ...kinds.map((k) => md(tr.t(`kind.${k}`))),
          md(tr.t("schools.total")),
        ],
        rows,
        [false, false, ...kinds.map(() => true), true],
      ),
      "",
    );
  }
  const group = report.totals.group;
  if (sumCounts(group) > 0) {
    out.push(`## ${md(tr.t("section.groups"))}`, "");
    out.push(...kindTable(kindsPresent(group), group, tr, tr.t("type.group")), "");
  }
  out.push(`## ${md(tr.t("section.risks"))}`, "");
  for (const r of planRisks(report, tr)) {
    out.push(`- **${md(tr.t(`risk.${r.level}`))} — ${md(r.title)}:** ${md(r.body)}`);
  }
  out.push("");
  const { leftOut, warnings } = report.risks;
  if (leftOut.count > 0 || warnings.count > 0) {
    out.push(`## ${md(tr.t("section.leftOut"))}`, "", md(tr.t("leftOut.intro")), "");
    if (leftOut.count > 0) out.push(...ruleTable(leftOut.byRule, tr), "");
    if (warnings.count > 0)
      out.push(`### ${md(tr.t("leftOut.warnings"))}`, "", ...ruleTable(warnings.byRule, tr), "");
  }
  const r = report.readiness;
  if (r) {
    const profile = profileLabel(r.profile);
    out.push(`## ${md(tr.t("section.readiness", { profile }))}`, "");
    if (r.basis === 0) out.push(md(tr.t("readiness.none")), "");
    else {
      out.push(
        md(tr.t("readiness.intro", { basis: r.basis, percent: tr.percent(r.requiredPercent), profile })),
        "",
      );
      if (r.requiredRemoved > 0) out.push(md(tr.plural("readiness.removed", r.requiredRemoved)), "");
      const coverage = (rows: typeof r.required) =>
        mdTable(
          [md(tr.t("readiness.attr")), md(tr.t("readiness.filled")), md(tr.t("type.person"))],
          rows.map((c) => [codeSpan(c.attr), tr.percent(c.percent), tr.number(c.present)]),
          [false, true, true],
        );
      if (r.required.length > 0)
        out.push(`### ${md(tr.t("readiness.required"))}`, "", ...coverage(r.required), "");
      if (r.optional.length > 0) {
        out.push(
          `### ${md(tr.t("readiness.optional"))}`,
          "",
          md(tr.t("readiness.optionalIntro", { percent: tr.percent(r.optionalPercent) })),
          "",
          ...coverage(r.optional),
          "",
        );
      }
    }
  }
  if (report.names) {
    const none = tr.t("table.none");
    out.push(`## ${md(tr.t("section.names"))}`, "");
    out.push(
      ...mdTable(
        [
          tr.t("names.change"),
          tr.t("names.name"),
          tr.t("names.key"),
          tr.t("schools.school"),
          tr.t("schools.role"),
          tr.t("names.attrs"),
          tr.t("names.identity"),
        ].map(md),
        report.names.operations.map((l) => [
          md(tr.t(`kind.${l.kind}`)),
          md(l.name ?? none),
          md(l.key),
          md(l.type === "person" ? schoolLabel(l.school, tr) : none),
          md(l.type === "person" ? roleLabel(l.role, tr) : none),
          md(l.attrs.join(", ") || none),
          md(l.identityChanges.join(", ") || none),
        ]),
      ),
      "",
    );
    if (report.names.review.length > 0) {
      out.push(`## ${md(tr.t("section.review"))}`, "");
      out.push(
        ...mdTable(
          [
            tr.t("review.severity"),
            tr.t("review.record"),
            tr.t("review.field"),
            tr.t("review.rule"),
            tr.t("review.reason"),
            tr.t("review.candidates"),
          ].map(md),
          report.names.review.map((l) => [
            md(tr.t(`severity.${l.severity}`)),
            md(l.record),
            md(l.field ?? none),
            codeSpan(l.rule),
            md(l.reason),
            md(l.candidates.join(", ") || none),
          ]),
        ),
        "",
      );
    }
  }
  out.push(`## ${md(tr.t("section.technical"))}`, "");
  out.push(`- ${md(tr.t("tech.planId"))}: ${codeSpan(p.id)}`);
  out.push(`- ${md(tr.t("tech.created"))}: ${md(tr.date(p.createdAt))}`);
  out.push(`- ${md(tr.t("tech.stage"))}: ${md(p.stage)}`);
  out.push(`- ${md(tr.t("tech.profile"))}: ${md(profileLabel(p.profile))}`);
  out.push(`- ${md(tr.t("tech.target"))}: ${codeSpan(p.target)}`);
  out.push(`- ${md(tr.t("tech.population"))}: ${tr.number(report.totals.population.person)}`);
  out.push(`- ${md(tr.t("tech.targetCount"))}: ${tr.number(report.totals.target.person)}`);
  out.push(`- ${md(tr.t("tech.operations"))}: ${tr.number(report.totals.operations)}`);
  for (const [k, v] of Object.entries(p.inputs))
    out.push(`- ${md(tr.t("tech.inputs"))} (${md(k)}): ${codeSpan(v)}`);
  out.push(
    "",
    `_${md(tr.t("footer.made"))} ${md(tr.t(report.names ? "footer.names" : "footer.aggregate"))}_`,
  );
  return out;
}

function kindTable(kinds: OperationKind[], counts: KindCounts, tr: Translator, header: string): string[] {
  return mdTable(
    [md(tr.t("names.change")), md(header)],
    kinds.map((k) => [md(tr.t(`kind.${k}`)), tr.number(counts[k] ?? 0)]),
    [false, true],
  );
}

function ruleTable(groups: RuleGroup[], tr: Translator): string[] {
  return mdTable(
    [md(tr.t("leftOut.reason")), md(tr.t("leftOut.fields")), md(tr.t("leftOut.people"))],
    groups.map((g) => [
      `${md(ruleLabel(g.rule, tr))} (${codeSpan(g.rule)})`,
      md(g.fields.join(", ") || tr.t("table.none")),
      tr.number(g.count),
    ]),
    [false, false, true],
  );
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
