import type { ReviewItem } from "../model/review.js";
import type { ReviewLine, RuleGroup } from "./schema.js";

const AMBIGUOUS_RULE = /ambiguous/i;
const SHARED_RULE = /^duplicate$/i;
/** Rules whose field names a required value the mapping could not fill. */
const MISSING_RULES = new Set(["mapping", "missing"]);

/** The review list counted per record: one person with three findings is one person. */
export interface ReviewSummary {
  groups: RuleGroup[];
  lines: ReviewLine[];
  /** Distinct records with an error: left out of the plan. */
  errors: number;
  /** Distinct records with only warnings: in the plan. */
  warnings: number;
  ambiguous: number;
  sharedValues: number;
  /** Field → distinct records left out because the mapping gave it no value. */
  missingFields: Map<string, number>;
  /** Distinct records of persons the stage does not select: in no other count (their lines are kept). */
  outside: number;
}

/**
 * Aggregates review items by severity and rule, counting findings and distinct records; with
 * `includeNames` it also keeps every item as a line. Items of persons outside the stage are
 * counted apart, in `outside` only.
 */
export function summarizeReview(review: Iterable<ReviewItem>, includeNames: boolean): ReviewSummary {
  const groups = new Map<string, RuleGroup & { fieldSet: Set<string>; recordSet: Set<string> }>();
  const lines: ReviewLine[] = [];
  const errorRecords = new Set<string>();
  const warningRecords = new Set<string>();
  const ambiguous = new Set<string>();
  const shared = new Set<string>();
  const missing = new Map<string, Set<string>>();
  const outside = new Set<string>();
  for (const item of review) {
    if (item.outsideStage) {
      outside.add(item.record);
      if (includeNames) lines.push(reviewLine(item));
      continue;
    }
    (item.severity === "error" ? errorRecords : warningRecords).add(item.record);
    if (AMBIGUOUS_RULE.test(item.rule) || (item.candidates?.length ?? 0) > 1) ambiguous.add(item.record);
    else if (SHARED_RULE.test(item.rule)) shared.add(item.record);
    if (item.severity === "error" && item.field && MISSING_RULES.has(item.rule)) {
      let set = missing.get(item.field);
      if (!set) {
        set = new Set();
        missing.set(item.field, set);
      }
      set.add(item.record);
    }
    const id = `${item.severity}\0${item.rule}`;
    let g = groups.get(id);
    if (!g) {
      g = {
        rule: item.rule,
        severity: item.severity,
        count: 0,
        records: 0,
        fields: [],
        fieldSet: new Set(),
        recordSet: new Set(),
      };
      groups.set(id, g);
    }
    g.count++;
    g.recordSet.add(item.record);
    if (item.field) g.fieldSet.add(item.field);
    if (includeNames) lines.push(reviewLine(item));
  }
  for (const r of errorRecords) warningRecords.delete(r);
  return {
    groups: [...groups.values()]
      .map(({ fieldSet, recordSet, ...g }) => ({
        ...g,
        records: recordSet.size,
        fields: [...fieldSet].sort().slice(0, 10),
      }))
      .sort((a, b) => b.records - a.records || a.rule.localeCompare(b.rule)),
    lines,
    errors: errorRecords.size,
    warnings: warningRecords.size,
    ambiguous: ambiguous.size,
    sharedValues: shared.size,
    missingFields: new Map([...missing].map(([field, set]) => [field, set.size])),
    outside: outside.size,
  };
}

function reviewLine(item: ReviewItem): ReviewLine {
  return {
    record: item.record,
    field: item.field ?? null,
    rule: item.rule,
    severity: item.severity,
    reason: item.reason,
    candidates: item.candidates ?? [],
  };
}
