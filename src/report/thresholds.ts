import type { Safety } from "../config/schema.js";
import { emptySummary, type Summary } from "../model/plan.js";
import { checkRails } from "../plan/safety.js";
import type { ThresholdCheck } from "./schema.js";

const RAILS = [
  ["disable", "maxDisables"],
  ["delete", "maxDeletes"],
] as const;

/**
 * Every safety limit of the configuration (`safety:` of overstap.yaml, per object type and
 * kind, count and percent) against the plan's counts. A limit is `exceeded` exactly when
 * `overstap plan` and `overstap apply` refuse the plan for it: both come from {@link checkRails}.
 *
 * @example
 * checkThresholds(config.safety, header.summary).filter((c) => c.exceeded);
 */
export function checkThresholds(
  safety: Safety,
  summary: Pick<Summary, "person" | "group" | "target">,
): ThresholdCheck[] {
  const violations = checkRails({ ...EMPTY_SUMMARY, ...summary }, safety, {
    allowDeletes: true,
    acceptIdentityChanges: true,
  });
  const checks: ThresholdCheck[] = [];
  for (const type of ["person", "group"] as const) {
    const base = summary.target[type];
    for (const [kind, rail] of RAILS) {
      const limit = safety[type][rail];
      const actual = summary[type][kind] ?? 0;
      checks.push({
        type,
        kind,
        actual,
        base,
        percent: base > 0 ? (actual / base) * 100 : actual > 0 ? 100 : 0,
        maxCount: limit.count,
        maxPercent: limit.percent,
        exceeded: violations.some((v) => v.type === type && v.rail === rail),
      });
    }
  }
  return checks;
}

const EMPTY_SUMMARY: Summary = emptySummary();
