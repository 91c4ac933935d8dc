import type { OperationKind } from "../model/operation.js";
import type { Translator } from "./i18n/index.js";
import type { KindCounts, PlanReport, RunReport, ThresholdCheck } from "./schema.js";

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

/** The label of a role value: translated when known, else the value itself. */
export function roleLabel(role: string | null, tr: Translator): string {
  if (role === null) return tr.t("schools.unknownRole");
  const key = `role.${role}`;
  return tr.has(key) ? tr.t(key) : role;
}

/** The label of a school (its BRIN), or "school unknown". */
export function schoolLabel(school: string | null, tr: Translator): string {
  return school ?? tr.t("schools.unknownSchool");
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
  }
  const groups = sumCounts(report.totals.group);
  if (groups > 0) sentences.push(tr.t("summary.groups", { groups: tr.plural("groups", groups) }));
  if (report.totals.unchanged.person > 0) {
    sentences.push(tr.plural("summary.unchanged", report.totals.unchanged.person));
  }
  if (report.risks.leftOut.count > 0)
    sentences.push(tr.plural("summary.leftOut", report.risks.leftOut.count));
  return sentences;
}

/** The risks of a plan, most serious first, each in plain language. */
export function planRisks(report: PlanReport, tr: Translator): RiskItem[] {
  const r = report.risks;
  const items: RiskItem[] = [];
  const attrs = Object.keys(r.identityChanges.byAttribute).sort().join(", ");
  items.push(
    r.identityChanges.count > 0
      ? {
          id: "identity",
          level: "high",
          title: tr.t("risk.identity.title"),
          body: tr.t("risk.identity.body", {
            accounts: tr.plural("accounts", r.identityChanges.count),
            attrs,
          }),
        }
      : { id: "identity", level: "ok", title: tr.t("risk.identity.title"), body: tr.t("risk.identity.none") },
  );
  items.push(thresholdRisk(r.thresholds, tr));
  items.push(
    r.deletes > 0
      ? {
          id: "deletes",
          level: "high",
          title: tr.t("risk.deletes.title"),
          body: tr.t("risk.deletes.body", { accounts: tr.plural("accounts", r.deletes) }),
        }
      : { id: "deletes", level: "ok", title: tr.t("risk.deletes.title"), body: tr.t("risk.deletes.none") },
  );
  const disables = r.disables;
  items.push(
    disables.count > 0
      ? {
          id: "disables",
          level: "attention",
          title: tr.t("risk.disables.title"),
          body: disables.earliestPurge
            ? tr.t("risk.disables.purge", {
                accounts: tr.plural("accounts", disables.count),
                date: tr.day(disables.earliestPurge),
              })
            : tr.t("risk.disables.body", { accounts: tr.plural("accounts", disables.count) }),
        }
      : { id: "disables", level: "ok", title: tr.t("risk.disables.title"), body: tr.t("risk.disables.none") },
  );
  items.push(
    r.leftOut.count > 0
      ? {
          id: "leftOut",
          level: "attention",
          title: tr.t("risk.leftOut.title"),
          body: tr.t("risk.leftOut.body", { n: r.leftOut.count }),
        }
      : { id: "leftOut", level: "ok", title: tr.t("risk.leftOut.title"), body: tr.t("risk.leftOut.none") },
  );
  items.push(
    r.duplicates > 0
      ? {
          id: "duplicates",
          level: "attention",
          title: tr.t("risk.duplicates.title"),
          body: tr.t("risk.duplicates.body", { n: r.duplicates }),
        }
      : {
          id: "duplicates",
          level: "ok",
          title: tr.t("risk.duplicates.title"),
          body: tr.t("risk.duplicates.none"),
        },
  );
  const eck = r.missingEckId;
  items.push({
    id: "eckId",
    level: eck.missing > 0 ? "attention" : "ok",
    title: tr.t("risk.eckId.title"),
    body:
      eck.students === 0
        ? tr.t("risk.eckId.na")
        : eck.missing > 0
          ? tr.t("risk.eckId.body", { missing: eck.missing, students: eck.students })
          : tr.t("risk.eckId.none"),
  });
  const rank: Record<RiskLevel, number> = { high: 0, attention: 1, ok: 2 };
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => rank[a.item.level] - rank[b.item.level] || a.i - b.i)
    .map(({ item }) => item);
}

function thresholdRisk(checks: ThresholdCheck[], tr: Translator): RiskItem {
  const title = tr.t("risk.threshold.title");
  if (checks.length === 0) return { id: "thresholds", level: "ok", title, body: tr.t("risk.threshold.none") };
  const max = (c: ThresholdCheck): string =>
    [
      c.maxCount === undefined ? undefined : tr.plural("accounts", c.maxCount),
      c.maxPercent === undefined ? undefined : tr.t("threshold.percent", { p: tr.percent(c.maxPercent) }),
    ]
      .filter((s): s is string => s !== undefined)
      .join(tr.t("threshold.or"));
  const exceeded = checks.filter((c) => c.exceeded);
  if (exceeded.length === 0) {
    const limits = checks.map((c) => `${tr.t(`kind.${c.kind}`)}: ${max(c)}`).join("; ");
    return { id: "thresholds", level: "ok", title, body: tr.t("risk.threshold.ok", { limits }) };
  }
  const body = exceeded
    .map((c) =>
      tr.t("risk.threshold.exceeded", {
        kind: tr.t(`kind.${c.kind}`).toLowerCase(),
        actual: c.actual,
        percent: tr.percent(c.percent),
        max: max(c),
      }),
    )
    .join(" ");
  return { id: "thresholds", level: "high", title, body: `${body} ${tr.t("risk.threshold.consequence")}` };
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
