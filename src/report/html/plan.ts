import type { OperationKind } from "../../model/operation.js";
import { escapeHtml } from "../escape.js";
import type { Translator } from "../i18n/index.js";
import {
  kindsPresent,
  planRisks,
  planSummary,
  profileLabel,
  reasonText,
  schoolLabel,
  shownCount,
  verdictBadge,
  verdictTitle,
} from "../narrative.js";
import type { PlanReport } from "../schema.js";
import { shellQuote } from "../shell-quote.js";
import {
  coverageTable,
  groupsTable,
  missingTable,
  operationsTable,
  reviewTable,
  ruleTable,
  schoolsTable,
  thresholdsTable,
} from "../tables.js";
import { type BarRow, stackedBarChart } from "./chart.js";
import { KIND_COLOURS } from "./css.js";
import {
  code,
  command,
  facts,
  figure,
  type Html,
  page,
  para,
  reportTable,
  riskList,
  section,
} from "./parts.js";

/** The chart shows the schools with the most changes; the table lists every school. */
const CHART_ROWS = 12;

/** The plan report as one self-contained HTML document. */
export function planHtml(report: PlanReport, tr: Translator): Html {
  const p = report.plan;
  const title = tr.t(p.kind === "rollback" ? "doc.title.rollbackPlan" : "doc.title.plan", { stage: p.stage });
  const body = [
    verdictSection(report, tr),
    summarySection(report, tr),
    schoolsSection(report, tr),
    groupsSection(report, tr),
    section(
      "risks",
      tr.t("section.risks"),
      `${riskList(planRisks(report, tr), tr)}${thresholdsBlock(report, tr)}`,
    ),
    leftOutSection(report, tr),
    readinessSection(report, tr),
    experienceSection(report, tr),
    namesSections(report, tr),
    technicalSection(report, tr),
    approvalSection(report, tr),
  ];
  return page({
    tr,
    title,
    subtitle: tr.t("doc.subtitle.plan", { institution: p.institution, date: tr.date(p.createdAt) }),
    pills: [
      { text: verdictBadge(report.verdict, tr), warn: report.verdict.state !== "ready" },
      ...(report.names ? [{ text: tr.t("doc.badge.names"), warn: true }] : []),
    ],
    body: body.filter((s) => s !== "").join("\n"),
    footer: [tr.t("footer.made"), tr.t(report.names ? "footer.names" : "footer.aggregate")],
    printFooter: [p.stage, p.fingerprint ?? p.id].join(" · "),
  });
}

function verdictSection(report: PlanReport, tr: Translator): Html {
  const v = report.verdict;
  const body =
    v.state === "ready"
      ? para(tr.t("verdict.readyBody"))
      : `${v.state === "refused" ? para(tr.t("verdict.refusedBody")) : ""}<p>${escapeHtml(tr.t("verdict.reasons"))}</p><ul class="reasons">${v.reasons
          .map((r) => `<li data-reason="${escapeHtml(r.code)}">${escapeHtml(reasonText(r, tr))}</li>`)
          .join("")}</ul>`;
  return `<section id="verdict" class="verdict ${v.state}" aria-labelledby="verdict-h" data-state="${v.state}"><h2 id="verdict-h">${escapeHtml(verdictTitle(v, tr))}</h2>\n${body}\n</section>`;
}

function summarySection(report: PlanReport, tr: Translator): Html {
  const person = report.totals.person;
  const figures = [
    figure(person.create ?? 0, tr.t("figure.create"), KIND_COLOURS.create, tr),
    figure(person.update ?? 0, tr.t("figure.update"), KIND_COLOURS.update, tr),
    figure(person.disable ?? 0, tr.t("figure.disable"), KIND_COLOURS.disable, tr),
    figure(person.delete ?? 0, tr.t("figure.delete"), KIND_COLOURS.delete, tr),
    figure(report.risks.leftOut.count, tr.t("figure.leftOut"), "#8a94a6", tr),
    figure(report.totals.unchanged.person, tr.t("figure.unchanged"), "#c3cad5", tr),
  ];
  return section(
    "summary",
    tr.t("section.summary"),
    `${para(planSummary(report, tr).join(" "), "lead")}${para(tr.t("summary.approval"), "note")}<div class="figures">${figures.join("")}</div>`,
  );
}

function legend(kinds: OperationKind[], tr: Translator): Html {
  const items = kinds.map(
    (k) =>
      `<span><span class="swatch" style="background:${KIND_COLOURS[k]}"></span>${escapeHtml(tr.t(`kind.${k}`))}</span>`,
  );
  return `<div class="legend">${items.join("")}</div>`;
}

function schoolsSection(report: PlanReport, tr: Translator): Html {
  if (report.schools.length === 0)
    return section("schools", tr.t("section.schools"), para(tr.t("schools.none")));
  const kinds = kindsPresent(...report.schools.map((s) => s.counts));
  const bySize = [...report.schools].sort((a, b) => b.total - a.total);
  const bars: BarRow[] = bySize
    .slice(0, CHART_ROWS)
    .map((s) => ({ label: schoolLabel(s.school, tr), counts: s.counts, total: s.total }));
  const hidden = bySize.length - bars.length;
  const chart = `${stackedBarChart(bars, kinds, tr.t("chart.title"), (n) => shownCount(n, report, tr))}${hidden > 0 ? para(tr.t("chart.largest", { shown: bars.length, all: bySize.length }), "note") : ""}`;
  return section(
    "schools",
    tr.t("section.schools"),
    `${para(tr.t("schools.intro"), "note")}${legend(kinds, tr)}${chart}${reportTable(schoolsTable(report, tr))}`,
  );
}

function groupsSection(report: PlanReport, tr: Translator): Html {
  if (report.totals.groups === 0) return "";
  return section(
    "groups",
    tr.t("section.groups"),
    `${para(tr.t("groups.intro"), "note")}${reportTable(groupsTable(report, tr))}`,
  );
}

function thresholdsBlock(report: PlanReport, tr: Translator): Html {
  if (report.risks.thresholds.length === 0) return "";
  return `<div class="keep"><h3 id="thresholds">${escapeHtml(tr.t("section.thresholds"))}</h3>${reportTable(thresholdsTable(report, tr))}</div>`;
}

function leftOutSection(report: PlanReport, tr: Translator): Html {
  const { leftOut, warnings } = report.risks;
  if (leftOut.count === 0 && warnings.count === 0) return "";
  const parts = [para(tr.t("leftOut.intro"), "note")];
  if (leftOut.count > 0) parts.push(reportTable(ruleTable("left-out-rules", leftOut.byRule, report, tr)));
  if (warnings.count > 0)
    parts.push(
      `<div class="keep"><h3>${escapeHtml(tr.t("leftOut.warnings"))}</h3>${reportTable(ruleTable("warning-rules", warnings.byRule, report, tr))}</div>`,
    );
  return section("left-out", tr.t("section.leftOut"), parts.join(""));
}

function readinessSection(report: PlanReport, tr: Translator): Html {
  const r = report.readiness;
  if (!r) return "";
  const profile = profileLabel(r.profile);
  const title = tr.t("section.readiness", { profile });
  if (r.basis === 0) return section("readiness", title, para(tr.t("readiness.none")));
  const parts = [
    para(
      tr.plural("readiness.intro", r.ready, { basis: r.basis, percent: tr.percent(r.percent), profile }),
      "lead",
    ),
    para(tr.t("readiness.basis"), "note"),
  ];
  if (r.requiredRemoved > 0) parts.push(para(tr.plural("readiness.removed", r.requiredRemoved)));
  if (r.missing.length > 0) {
    parts.push(
      `<div class="keep"><h3>${escapeHtml(tr.t("readiness.missing"))}</h3>${reportTable(missingTable(report, tr))}</div>`,
    );
  }
  if (r.required.length > 0 && r.creates > 0) {
    parts.push(
      `<div class="keep"><h3>${escapeHtml(tr.t("readiness.required"))}</h3>${reportTable(coverageTable(r.required, true, tr))}</div>`,
    );
  }
  if (r.optional.length > 0 && r.creates > 0) {
    parts.push(
      `<div class="keep"><h3>${escapeHtml(tr.t("readiness.optional"))}</h3>${para(tr.t("readiness.optionalIntro"), "note")}${reportTable(coverageTable(r.optional, false, tr))}</div>`,
    );
  }
  return section("readiness", title, parts.join(""));
}

function experienceSection(report: PlanReport, tr: Translator): Html {
  const e = report.experience;
  const login =
    e.pattern && (report.totals.person.create ?? 0) > 0
      ? tr.t("experience.login", { attr: e.attribute, pattern: e.pattern })
      : tr.t("experience.noLogin");
  return section(
    "experience",
    tr.t("section.experience"),
    `${para(login)}${para(tr.t("experience.when"))}${para(tr.t("experience.passwords"))}`,
  );
}

function namesSections(report: PlanReport, tr: Translator): Html {
  if (!report.names) return "";
  return [
    section("names", tr.t("section.names"), reportTable(operationsTable(report, tr), "names")),
    report.names.review.length > 0
      ? section("review", tr.t("section.review"), reportTable(reviewTable(report, tr), "names"))
      : "",
  ].join("\n");
}

function technicalSection(report: PlanReport, tr: Translator): Html {
  const p = report.plan;
  const t = report.totals;
  const rows: [string, string | { html: Html }][] = [
    [tr.t("tech.planId"), { html: code(p.id) }],
    [
      tr.t("tech.fingerprint"),
      p.fingerprint ? { html: code(p.fingerprint) } : tr.t("approval.noFingerprint"),
    ],
    [tr.t("tech.created"), tr.date(p.createdAt)],
    [tr.t("tech.stage"), `${p.stage} (${tr.number(p.stageIndex + 1)})`],
    [tr.t("tech.profile"), profileLabel(p.profile)],
    [tr.t("tech.target"), p.target],
    [tr.t("tech.population"), tr.number(t.population.person)],
    [tr.t("tech.targetCount"), tr.number(t.target.person)],
    [tr.t("tech.operations"), tr.number(t.operations)],
  ];
  if (p.rollbackOf) rows.push([tr.t("tech.rollbackOf"), { html: code(p.rollbackOf) }]);
  const inputs = Object.entries(p.inputs)
    .map(([k, v]) => `${escapeHtml(k)}: ${code(v)}`)
    .join("<br>");
  rows.push([tr.t("tech.inputs"), { html: inputs }]);
  const apply = p.file !== null && t.operations > 0 && report.verdict.state !== "refused";
  return section(
    "technical",
    tr.t("section.technical"),
    `${facts(rows)}${apply ? `<h3>${escapeHtml(tr.t("tech.apply"))}</h3>${command(`overstap apply ${shellQuote(p.file ?? "")}`)}` : ""}`,
  );
}

function approvalSection(report: PlanReport, tr: Translator): Html {
  const p = report.plan;
  const v = report.verdict;
  const status =
    v.state === "refused"
      ? para(tr.t("approval.refused"), "warn")
      : v.state === "not-ready"
        ? para(tr.t("approval.notReady"), "warn")
        : "";
  const rows: [string, string | { html: Html }][] = [
    [
      tr.t("approval.fingerprint"),
      p.fingerprint
        ? { html: `<strong class="fingerprint">${escapeHtml(p.fingerprint)}</strong>` }
        : tr.t("approval.noFingerprint"),
    ],
    [tr.t("tech.stage"), p.stage],
    [tr.t("tech.created"), tr.date(p.createdAt)],
  ];
  const lines = ["approval.name", "approval.role", "approval.date", "approval.signature"] as const;
  const sign = `<div class="sign">${lines.map((k) => `<div class="line"><span>${escapeHtml(tr.t(k))}</span></div>`).join("")}</div>`;
  return section(
    "approval",
    tr.t("section.approval"),
    `${para(tr.t("approval.intro"))}${status}${facts(rows)}${sign}`,
  );
}
