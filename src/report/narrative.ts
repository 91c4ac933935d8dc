import type { OperationKind } from "../model/operation.js";
import type { PluralBase, Translator } from "./i18n/index.js";
import type { KindCounts, PlanReport, RunReport, ThresholdCheck, Verdict, VerdictReason } from "./schema.js";

/** Person operation kinds in the order a reader meets them. */
export const PERSON_KINDS: OperationKind[] = ["create", "update", "rename", "enable", "disable", "delete"];
/** Every operation kind, in display order. */
export const ALL_KINDS: OperationKind[] = [...PERSON_KINDS, "add-members", "remove-members"];

export type RiskLevel = "high" | "attention" | "ok";

/** One risk as the reader sees it: how serious, what it is, what it means. */
export interface RiskItem {
  id: string;
  level: RiskLevel;
  title: string;
  body: string;
}

/** Sum of all counts. */
export function sumCounts(counts: KindCounts): number {
  let n = 0;
  for (const v of Object.values(counts)) n += v ?? 0;
  return n;
}

/** The kinds that occur in any of `counts`, in display order. */
export function kindsPresent(...counts: KindCounts[]): OperationKind[] {
  return ALL_KINDS.filter((k) => counts.some((c) => (c[k] ?? 0) > 0));
}

/** "a, b and c" in the reader's language. */
export function joinList(items: string[], tr: Translator): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")}${tr.t("list.and")}${items.at(-1)}`;
}

/** The label of a role value: the institution's own, else translated when known, else the value. */
export function roleLabel(role: string | null, tr: Translator, roles: Record<string, string> = {}): string {
  if (role === null) return tr.t("schools.unknownRole");
  const own = roles[role];
  if (own) return own;
  const key = `role.${role}`;
  return tr.has(key) ? tr.t(key) : role;
}

/** The label of a school: its BRIN with its name when known, or "school unknown". */
export function schoolLabel(school: string | null, tr: Translator, name: string | null = null): string {
  if (school === null) return tr.t("schools.unknownSchool");
  return name ? `${school} · ${name}` : school;
}

/**
 * A count as a table shows it: exact in reports with names, else counts from 1 below the
 * report's minimum as "< minimum", so a row cannot single out one child.
 */
export function shownCount(n: number, report: PlanReport, tr: Translator): string {
  if (n === 0) return tr.t("table.none");
  if (report.names === null && n < report.display.minCount) return `< ${tr.number(report.display.minCount)}`;
  return tr.number(n);
}

/**
 * What a review rule means, in the reader's language; a rule this report does not know is
 * made readable from its code (`some-rule` → "Some rule").
 */
export function ruleLabel(rule: string, tr: Translator): string {
  const key = `rule.${rule.startsWith("format:") ? "format" : rule}`;
  if (tr.has(key)) return tr.t(key);
  const words = rule.replace(/[-_.]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const PROFILE_NAMES: Record<string, string> = { entree: "Entree", surfconext: "SURFconext", eduid: "eduID" };

/** A federation profile's name as people write it (`surfconext` → "SURFconext"). */
export function profileLabel(profile: string): string {
  return PROFILE_NAMES[profile.toLowerCase()] ?? profile;
}

/** The explanation of an error code when there is one, else the code. */
export function errorLabel(code: string, tr: Translator): string {
  const key = `error.${code}`;
  return tr.has(key) ? tr.t(key) : code;
}

/** The plan in a few sentences, for the first paragraph of the report. */
export function planSummary(report: PlanReport, tr: Translator): string[] {
  const sentences: string[] = [];
  if (report.plan.kind === "rollback" && report.plan.rollbackOf) {
    sentences.push(tr.t("summary.rollback", { run: report.plan.rollbackOf }));
  }
  const person = report.totals.person;
  const clauses = PERSON_KINDS.filter((k) => (person[k] ?? 0) > 0).map((k) =>
    tr.t(`clause.${k}` as "clause.create", { accounts: tr.plural("accounts", person[k] ?? 0) }),
  );
  if (clauses.length === 0) sentences.push(tr.t("summary.nothing"));
  else {
    sentences.push(tr.t("summary.plan", { clauses: joinList(clauses, tr) }));
    const known = report.schools.filter((s) => s.school !== null).length;
    if (known > 0) sentences.push(tr.plural("summary.schools", known));
    const unknown = report.schools.find((s) => s.school === null)?.total ?? 0;
    if (unknown > 0) sentences.push(tr.plural("summary.noSchool", unknown));
  }
  if (report.totals.groups > 0) sentences.push(tr.plural("summary.groups", report.totals.groups));
  if (report.totals.unchanged.person > 0) {
    sentences.push(tr.plural("summary.unchanged", report.totals.unchanged.person));
  }
  if (report.totals.sourceDisabled > 0)
    sentences.push(tr.plural("summary.sourceDisabled", report.totals.sourceDisabled));
  if (report.risks.leftOut.count > 0)
    sentences.push(tr.plural("summary.leftOut", report.risks.leftOut.count));
  return sentences;
}

/** The verdict's heading text. */
export function verdictTitle(verdict: Verdict, tr: Translator): string {
  return tr.t(
    verdict.state === "ready"
      ? "verdict.ready"
      : verdict.state === "refused"
        ? "verdict.refused"
        : "verdict.notReady",
  );
}

/** The badge of a plan report: ready for approval, not ready, or refused. */
export function verdictBadge(verdict: Verdict, tr: Translator): string {
  return tr.t(
    verdict.state === "ready"
      ? "doc.badge.plan"
      : verdict.state === "refused"
        ? "doc.badge.refused"
        : "doc.badge.notReady",
  );
}

/** One reason of the verdict in plain language. */
export function reasonText(reason: VerdictReason, tr: Translator): string {
  if (reason.code === "no-safety-limits") return tr.t("reason.no-safety-limits");
  return tr.plural(`reason.${reason.code}`, reason.count, {
    percent: tr.percent(reason.percent ?? 0),
    limit: tr.percent(reason.limit ?? 0),
  });
}

function item(id: string, level: RiskLevel, title: string, body: string): RiskItem {
  return { id, level, title, body };
}

/** The risks of a plan, most serious first, each in plain language. */
export function planRisks(report: PlanReport, tr: Translator): RiskItem[] {
  const r = report.risks;
  const attrs = Object.keys(r.identityChanges.byAttribute).sort().join(", ");
  const count = (base: PluralBase, n: number, extra = "") =>
    `${tr.plural(base, n)}${extra ? ` ${extra}` : ""}`;
  const items: RiskItem[] = [
    r.identityChanges.count > 0
      ? item(
          "identity",
          "high",
          tr.t("risk.identity.title"),
          tr.plural("risk.identity.body", r.identityChanges.count, { attrs }),
        )
      : item("identity", "ok", tr.t("risk.identity.title"), tr.t("risk.identity.none")),
    thresholdRisk(r.thresholds, tr),
    r.adoptions > 0
      ? item("adoptions", "high", tr.t("risk.adoptions.title"), tr.plural("risk.adoptions.body", r.adoptions))
      : item("adoptions", "ok", tr.t("risk.adoptions.title"), tr.t("risk.adoptions.none")),
  ];
  const groupDeletes = r.deletes.group > 0 ? tr.plural("risk.deletes.groups", r.deletes.group) : "";
  items.push(
    r.deletes.person > 0
      ? item(
          "deletes",
          "high",
          tr.t("risk.deletes.title"),
          count("risk.deletes.body", r.deletes.person, groupDeletes),
        )
      : r.deletes.group > 0
        ? item("deletes", "high", tr.t("risk.deletes.title"), groupDeletes)
        : item("deletes", "ok", tr.t("risk.deletes.title"), tr.t("risk.deletes.none")),
  );
  const d = r.disables;
  const groupDisables = d.group > 0 ? tr.plural("risk.disables.groups", d.group) : "";
  const disables = d.earliestPurge
    ? tr.plural("risk.disables.purge", d.person, { date: tr.day(d.earliestPurge) })
    : tr.plural("risk.disables.body", d.person);
  items.push(
    d.person + d.group > 0
      ? item(
          "disables",
          "attention",
          tr.t("risk.disables.title"),
          d.person > 0 ? `${disables}${groupDisables ? ` ${groupDisables}` : ""}` : groupDisables,
        )
      : item("disables", "ok", tr.t("risk.disables.title"), tr.t("risk.disables.none")),
    r.leftOut.count > 0
      ? item(
          "leftOut",
          "attention",
          tr.t("risk.leftOut.title"),
          tr.plural("risk.leftOut.body", r.leftOut.count),
        )
      : item("leftOut", "ok", tr.t("risk.leftOut.title"), tr.t("risk.leftOut.none")),
    r.ambiguous > 0
      ? item(
          "ambiguous",
          "attention",
          tr.t("risk.ambiguous.title"),
          tr.plural("risk.ambiguous.body", r.ambiguous),
        )
      : item("ambiguous", "ok", tr.t("risk.ambiguous.title"), tr.t("risk.ambiguous.none")),
    r.sharedValues > 0
      ? item("shared", "attention", tr.t("risk.shared.title"), tr.plural("risk.shared.body", r.sharedValues))
      : item("shared", "ok", tr.t("risk.shared.title"), tr.t("risk.shared.none")),
  );
  const eck = r.missingEckId;
  items.push(
    item(
      "eckId",
      eck.missing > 0 ? "attention" : "ok",
      tr.t("risk.eckId.title"),
      eck.students === 0
        ? tr.t("risk.eckId.na")
        : eck.missing > 0
          ? tr.plural("risk.eckId.body", eck.missing, { students: eck.students })
          : tr.t("risk.eckId.none"),
    ),
  );
  const rank: Record<RiskLevel, number> = { high: 0, attention: 1, ok: 2 };
  return items
    .map((it, i) => ({ it, i }))
    .sort((a, b) => rank[a.it.level] - rank[b.it.level] || a.i - b.i)
    .map(({ it }) => it);
}

/** The label of a safety limit ("Disabled accounts"). */
export function thresholdLabel(c: ThresholdCheck, tr: Translator): string {
  return tr.t(`threshold.${c.type}.${c.kind}`);
}

function thresholdRisk(checks: ThresholdCheck[], tr: Translator): RiskItem {
  const title = tr.t("risk.threshold.title");
  if (checks.length === 0) return item("thresholds", "attention", title, tr.t("risk.threshold.none"));
  const exceeded = checks.filter((c) => c.exceeded);
  if (exceeded.length === 0) return item("thresholds", "ok", title, tr.t("risk.threshold.ok"));
  const body = exceeded
    .map((c) =>
      tr.t("risk.threshold.exceeded", {
        limit: thresholdLabel(c, tr).toLowerCase(),
        actual: c.actual,
        base: c.base,
        percent: tr.percent(c.percent),
        max: c.maxCount,
        maxPercent: tr.percent(c.maxPercent),
      }),
    )
    .join(" ");
  return item("thresholds", "high", title, `${body} ${tr.t("risk.threshold.consequence")}`);
}

/** The run in a few sentences: how much was done, failed, unconfirmed, not started. */
export function runSummary(report: RunReport, tr: Translator): string[] {
  const c = report.counts;
  const sentences = [tr.plural("run.summary", c.done, { done: c.done, total: report.run.total })];
  if (c.failed > 0) sentences.push(tr.plural("run.failed", c.failed));
  if (c.inDoubt > 0) sentences.push(tr.plural("run.inDoubt", c.inDoubt));
  if (c.notStarted > 0) sentences.push(tr.plural("run.notStarted", c.notStarted));
  return sentences;
}
