import type { Translator } from "./i18n/index.js";
import {
  kindsPresent,
  profileLabel,
  roleLabel,
  ruleLabel,
  schoolLabel,
  shownCount,
  thresholdLabel,
} from "./narrative.js";
import type { AttributeCoverage, KindCounts, PlanReport, RuleGroup } from "./schema.js";

/** A column: its header, and whether its cells are numbers (right-aligned). */
export interface Column {
  label: string;
  numeric?: boolean;
}

/** A cell's text; `code` shows it as an identifier, `meter` adds a bar (0–100) where a format can draw one. */
export type TableCell = string | { text: string; code?: boolean; meter?: number; required?: boolean };

export interface TableRow {
  cells: TableCell[];
  /** `group`: a heading row with the totals of the `sub` rows under it. */
  level?: "group" | "sub";
}

/**
 * One table of a report, the same for every format: HTML, Markdown and CSV render these
 * columns and cells as they are, so a figure reads the same everywhere.
 */
export interface ReportTable {
  id: string;
  columns: Column[];
  rows: TableRow[];
}

/** The text of a cell. */
export function cellText(cell: TableCell): string {
  return typeof cell === "string" ? cell : cell.text;
}

/** Schools × roles × kinds of change, each school's row with its totals first. */
export function schoolsTable(report: PlanReport, tr: Translator): ReportTable {
  const kinds = kindsPresent(...report.schools.map((s) => s.counts));
  const counts = (c: KindCounts, total: number) => [
    ...kinds.map((k) => shownCount(c[k] ?? 0, report, tr)),
    shownCount(total, report, tr),
  ];
  const rows: TableRow[] = [];
  const roles = report.display.roles;
  for (const s of report.schools) {
    const label = schoolLabel(s.school, tr, s.name);
    const only = s.roles.length === 1 ? s.roles[0] : undefined;
    if (only) {
      rows.push({ cells: [label, roleLabel(only.role, tr, roles), ...counts(s.counts, s.total)] });
      continue;
    }
    rows.push({ cells: [label, "", ...counts(s.counts, s.total)], level: "group" });
    for (const r of s.roles) {
      rows.push({ cells: ["", roleLabel(r.role, tr, roles), ...counts(r.counts, r.total)], level: "sub" });
    }
  }
  return {
    id: "schools",
    columns: [
      { label: tr.t("schools.school") },
      { label: tr.t("schools.role") },
      ...kinds.map((k) => ({ label: tr.t(`kind.${k}`), numeric: true })),
      { label: tr.t("schools.total"), numeric: true },
    ],
    rows,
  };
}

/** Group operations per kind. */
export function groupsTable(report: PlanReport, tr: Translator): ReportTable {
  const group = report.totals.group;
  return {
    id: "groups",
    columns: [{ label: tr.t("names.change") }, { label: tr.t("type.group"), numeric: true }],
    rows: kindsPresent(group).map((k) => ({ cells: [tr.t(`kind.${k}`), tr.number(group[k] ?? 0)] })),
  };
}

/** Every configured safety limit against the plan. */
export function thresholdsTable(report: PlanReport, tr: Translator): ReportTable {
  return {
    id: "thresholds",
    columns: [
      { label: tr.t("threshold.limit") },
      { label: tr.t("threshold.plan"), numeric: true },
      { label: tr.t("threshold.max"), numeric: true },
      { label: tr.t("threshold.status") },
    ],
    rows: report.risks.thresholds.map((c) => ({
      cells: [
        thresholdLabel(c, tr),
        `${tr.number(c.actual)} (${tr.percent(c.percent)})`,
        `${tr.number(c.maxCount)} (${tr.percent(c.maxPercent)})`,
        tr.t(c.exceeded ? "threshold.exceededLabel" : "threshold.withinLabel"),
      ],
    })),
  };
}

/** Review findings of one severity per rule: persons (distinct records) and findings. */
export function ruleTable(id: string, groups: RuleGroup[], report: PlanReport, tr: Translator): ReportTable {
  return {
    id,
    columns: [
      { label: tr.t("leftOut.reason") },
      { label: tr.t("leftOut.fields") },
      { label: tr.t("leftOut.people"), numeric: true },
      { label: tr.t("leftOut.findings"), numeric: true },
    ],
    rows: groups.map((g) => ({
      cells: [
        ruleLabel(g.rule, tr),
        g.fields.join(", ") || tr.t("table.none"),
        shownCount(g.records, report, tr),
        shownCount(g.count, report, tr),
      ],
    })),
  };
}

/** What keeps persons from being ready, per attribute or field. */
export function missingTable(report: PlanReport, tr: Translator): ReportTable {
  return {
    id: "missing",
    columns: [{ label: tr.t("readiness.attr") }, { label: tr.t("type.person"), numeric: true }],
    rows: (report.readiness?.missing ?? []).map((m) => ({
      cells: [{ text: m.attr, code: true }, shownCount(m.persons, report, tr)],
    })),
  };
}

/** How many new accounts have each attribute; optional ones with what empty means. */
export function coverageTable(rows: AttributeCoverage[], required: boolean, tr: Translator): ReportTable {
  const meaning = (attr: string) => {
    const key = `optional.${attr}`;
    return tr.has(key) ? tr.t(key) : tr.t("table.none");
  };
  return {
    id: required ? "required" : "optional",
    columns: [
      { label: tr.t("readiness.attr") },
      { label: tr.t("readiness.filled"), numeric: true },
      { label: tr.t("type.person"), numeric: true },
      ...(required ? [] : [{ label: tr.t("optional.meaning") }]),
    ],
    rows: rows.map((c) => ({
      cells: [
        { text: c.attr, code: true },
        { text: tr.percent(c.percent), meter: c.percent, required },
        tr.number(c.present),
        ...(required ? [] : [meaning(c.attr)]),
      ],
    })),
  };
}

/** Per operation, with names (IT staff only). */
export function operationsTable(report: PlanReport, tr: Translator): ReportTable {
  const none = tr.t("table.none");
  return {
    id: "names",
    columns: [
      tr.t("names.change"),
      tr.t("names.name"),
      tr.t("names.key"),
      tr.t("schools.school"),
      tr.t("schools.role"),
      tr.t("names.attrs"),
      tr.t("names.identity"),
    ].map((label) => ({ label })),
    rows: (report.names?.operations ?? []).map((l) => ({
      cells: [
        tr.t(`kind.${l.kind}`),
        l.name ?? none,
        { text: l.key, code: true },
        l.type === "person" ? schoolLabel(l.school, tr) : none,
        l.type === "person" ? roleLabel(l.role, tr, report.display.roles) : none,
        l.attrs.join(", ") || none,
        l.identityChanges.join(", ") || none,
      ],
    })),
  };
}

/** The plan's profile as people write it. */
export function reportProfile(report: PlanReport): string {
  return profileLabel(report.readiness?.profile ?? report.plan.profile);
}

/**
 * The columns of a review list, as message keys, in every form it takes: the report's review
 * table (HTML, Markdown, the report's CSV) and the plain review CSV.
 */
export const REVIEW_COLUMNS = [
  "review.severity",
  "review.record",
  "review.field",
  "review.rule",
  "review.reason",
  "review.candidates",
] as const;

/**
 * The review list (IT staff only): each finding with its effect, record, field, rule, and the
 * reason in the report's language (the rule's explanation; English reports add the planner's
 * own words).
 */
export function reviewTable(report: PlanReport, tr: Translator): ReportTable {
  const none = tr.t("table.none");
  return {
    id: "review",
    columns: REVIEW_COLUMNS.map((key) => ({ label: tr.t(key) })),
    rows: (report.names?.review ?? []).map((l) => ({
      cells: [
        tr.t(`severity.${l.severity}`),
        { text: l.record, code: true },
        l.field ?? none,
        { text: l.rule, code: true },
        reviewReason(l.rule, l.reason, tr),
        l.candidates.join(" | ") || none,
      ],
    })),
  };
}

/** A finding's reason in the report's language. */
export function reviewReason(rule: string, reason: string, tr: Translator): string {
  const label = ruleLabel(rule, tr);
  return tr.lang === "en" && reason !== "" ? `${label}: ${reason}` : label;
}
