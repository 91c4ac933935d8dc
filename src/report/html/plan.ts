import type { OperationKind } from "../../model/operation.js";
import { escapeHtml } from "../escape.js";
import type { Translator } from "../i18n/index.js";
import {
  kindsPresent,
  planRisks,
  planSummary,
  profileLabel,
  roleLabel,
  ruleLabel,
  schoolLabel,
  sumCounts,
} from "../narrative.js";
import type { AttributeCoverage, KindCounts, PlanReport, RuleGroup } from "../schema.js";
import { shellQuote } from "../shell-quote.js";
import { type BarRow, meter, stackedBarChart } from "./chart.js";
import { KIND_COLOURS } from "./css.js";
import {
  type Cell,
  code,
  command,
  facts,
  figure,
  type Html,
  page,
  para,
  riskList,
  section,
  table,
} from "./parts.js";

/** The chart shows the schools with the most changes; the table lists every school. */
const CHART_ROWS = 12;

/** The plan report as one self-contained HTML document. */
export function planHtml(report: PlanReport, tr: Translator): Html {
  const p = report.plan;
  const title = tr.t(p.kind === "rollback" ? "doc.title.rollbackPlan" : "doc.title.plan", { stage: p.stage });
  const body = [
    summarySection(report, tr),
    schoolsSection(report, tr),
    groupsSection(report, tr),
    section("risks", tr.t("section.risks"), riskList(planRisks(report, tr), tr)),
    leftOutSection(report, tr),
    readinessSection(report, tr),
    namesSections(report, tr),
    technicalSection(report, tr),
  ];
  return page({
    tr,
    title,
    subtitle: tr.t("doc.subtitle.plan", { institution: p.institution, date: tr.date(p.createdAt) }),
    pills: [
      { text: tr.t("doc.badge.plan") },
      ...(report.names ? [{ text: tr.t("doc.badge.names"), warn: true }] : []),
    ],
    body: body.filter((s) => s !== "").join("\n"),
    footer: [tr.t("footer.made"), tr.t(report.names ? "footer.names" : "footer.aggregate")],
  });
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
  const chart = `${stackedBarChart(bars, kinds, tr.t("chart.title"), tr.number)}${hidden > 0 ? para(tr.t("chart.largest", { shown: bars.length, all: bySize.length }), "note") : ""}`;
  const rows: { cells: Cell[]; className?: string }[] = [];
  for (const s of report.schools) {
    const counts = (c: KindCounts): Cell[] => kinds.map((k) => c[k] ?? 0);
    if (s.roles.length === 1 && s.roles[0]) {
      const only = s.roles[0];
      rows.push({
        cells: [schoolLabel(s.school, tr), roleLabel(only.role, tr), ...counts(s.counts), s.total],
      });
      continue;
    }
    rows.push({ cells: [schoolLabel(s.school, tr), "", ...counts(s.counts), s.total], className: "school" });
    for (const r of s.roles) {
      rows.push({ cells: ["", roleLabel(r.role, tr), ...counts(r.counts), r.total], className: "sub" });
    }
  }
  const headers = [
    tr.t("schools.school"),
    tr.t("schools.role"),
    ...kinds.map((k) => tr.t(`kind.${k}`)),
    tr.t("schools.total"),
  ];
  const numeric = [false, false, ...kinds.map(() => true), true];
  return section(
    "schools",
    tr.t("section.schools"),
    `${para(tr.t("schools.intro"), "note")}${legend(kinds, tr)}${chart}${table(headers, rows, tr, numeric)}`,
  );
}

function groupsSection(report: PlanReport, tr: Translator): Html {
  const group = report.totals.group;
  if (sumCounts(group) === 0) return "";
  const kinds = kindsPresent(group);
  const rows = kinds.map((k) => ({ cells: [tr.t(`kind.${k}`), group[k] ?? 0] as Cell[] }));
  return section(
    "groups",
    tr.t("section.groups"),
    `${para(tr.t("groups.intro"), "note")}${table([tr.t("names.change"), tr.t("type.group")], rows, tr, [false, true])}`,
  );
}

function ruleTable(groups: RuleGroup[], tr: Translator): Html {
  const rows = groups.map((g) => ({
    cells: [
      { html: `${escapeHtml(ruleLabel(g.rule, tr))} ${code(g.rule)}` },
      g.fields.join(", ") || tr.t("table.none"),
      g.count,
    ] as Cell[],
  }));
  return table([tr.t("leftOut.reason"), tr.t("leftOut.fields"), tr.t("leftOut.people")], rows, tr, [
    false,
    false,
    true,
  ]);
}

function leftOutSection(report: PlanReport, tr: Translator): Html {
  const { leftOut, warnings } = report.risks;
  if (leftOut.count === 0 && warnings.count === 0) return "";
  const parts = [para(tr.t("leftOut.intro"), "note")];
  if (leftOut.count > 0) parts.push(ruleTable(leftOut.byRule, tr));
  if (warnings.count > 0)
    parts.push(`<h3>${escapeHtml(tr.t("leftOut.warnings"))}</h3>${ruleTable(warnings.byRule, tr)}`);
  return section("left-out", tr.t("section.leftOut"), parts.join(""));
}

function coverageTable(rows: AttributeCoverage[], required: boolean, tr: Translator): Html {
  return table(
    [tr.t("readiness.attr"), "", tr.t("readiness.filled"), tr.t("type.person")],
    rows.map((c) => ({
      cells: [
        { html: code(c.attr) },
        { html: meter(c.percent, `${c.attr}: ${tr.percent(c.percent)}`, required) },
        { html: escapeHtml(tr.percent(c.percent)), className: "num" },
        c.present,
      ] as Cell[],
    })),
    tr,
    [false, false, true, true],
  );
}

function readinessSection(report: PlanReport, tr: Translator): Html {
  const r = report.readiness;
  if (!r) return "";
  const profile = profileLabel(r.profile);
  const title = tr.t("section.readiness", { profile });
  if (r.basis === 0) return section("readiness", title, para(tr.t("readiness.none")));
  const parts = [
    para(
      tr.t("readiness.intro", { basis: r.basis, percent: tr.percent(r.requiredPercent), profile }),
      "lead",
    ),
  ];
  if (r.requiredRemoved > 0) parts.push(para(tr.plural("readiness.removed", r.requiredRemoved)));
  if (r.required.length > 0) {
    parts.push(`<h3>${escapeHtml(tr.t("readiness.required"))}</h3>${coverageTable(r.required, true, tr)}`);
  }
  if (r.optional.length > 0) {
    parts.push(
      `<h3>${escapeHtml(tr.t("readiness.optional"))}</h3>${para(tr.t("readiness.optionalIntro", { percent: tr.percent(r.optionalPercent) }), "note")}${coverageTable(r.optional, false, tr)}`,
    );
  }
  return section("readiness", title, parts.join(""));
}

function namesSections(report: PlanReport, tr: Translator): Html {
  if (!report.names) return "";
  const none = tr.t("table.none");
  const ops = table(
    [
      tr.t("names.change"),
      tr.t("names.name"),
      tr.t("names.key"),
      tr.t("schools.school"),
      tr.t("schools.role"),
      tr.t("names.attrs"),
      tr.t("names.identity"),
    ],
    report.names.operations.map((l) => ({
      cells: [
        tr.t(`kind.${l.kind}`),
        l.name ?? none,
        { html: code(l.key) },
        l.type === "person" ? schoolLabel(l.school, tr) : none,
        l.type === "person" ? roleLabel(l.role, tr) : none,
        l.attrs.join(", ") || none,
        l.identityChanges.join(", ") || none,
      ] as Cell[],
    })),
    tr,
    [],
    "names",
  );
  const review = table(
    [
      tr.t("review.severity"),
      tr.t("review.record"),
      tr.t("review.field"),
      tr.t("review.rule"),
      tr.t("review.reason"),
      tr.t("review.candidates"),
    ],
    report.names.review.map((l) => ({
      cells: [
        tr.t(`severity.${l.severity}`),
        { html: code(l.record) },
        l.field ?? none,
        { html: code(l.rule) },
        l.reason,
        l.candidates.join(", ") || none,
      ] as Cell[],
    })),
    tr,
    [],
    "names",
  );
  return [
    section("names", tr.t("section.names"), ops),
    report.names.review.length > 0 ? section("review", tr.t("section.review"), review) : "",
  ].join("\n");
}

function technicalSection(report: PlanReport, tr: Translator): Html {
  const p = report.plan;
  const t = report.totals;
  const rows: [string, string | { html: Html }][] = [
    [tr.t("tech.planId"), { html: code(p.id) }],
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
  const apply = p.file !== null && t.operations > 0;
  return section(
    "technical",
    tr.t("section.technical"),
    `${facts(rows)}${apply ? `<h3>${escapeHtml(tr.t("tech.apply"))}</h3>${command(`overstap apply ${shellQuote(p.file ?? "")}`)}` : ""}`,
  );
}
