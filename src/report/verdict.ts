import type { Readiness, Risks, ThresholdCheck, Verdict, VerdictReason } from "./schema.js";

/** When a plan is not ready although nothing is refused. */
export interface VerdictPolicy {
  /** The share of the stage's persons (0–100) that may be left out (default 5). */
  maxLeftOutPercent: number;
}

export const DEFAULT_VERDICT_POLICY: VerdictPolicy = { maxLeftOutPercent: 5 };

/**
 * The verdict on a plan: `refused` when a safety limit is exceeded, else `not-ready` while
 * anything awaits consent (identity changes, adoptions, deletes), no safety limits are set,
 * more persons are left out than the policy allows, or required data is missing; else `ready`.
 *
 * @example
 * planVerdict({ risks, readiness, persons: 75 }, DEFAULT_VERDICT_POLICY).state; // "not-ready"
 */
export function planVerdict(
  facts: { risks: Risks; readiness: Readiness | null; persons: number },
  policy: VerdictPolicy,
): Verdict {
  const { risks, readiness } = facts;
  const reasons: VerdictReason[] = [];
  const add = (code: VerdictReason["code"], count: number, more: Partial<VerdictReason> = {}) => {
    if (count > 0) reasons.push({ code, count, ...more });
  };
  const exceeded = risks.thresholds.filter((c: ThresholdCheck) => c.exceeded).length;
  add("safety-exceeded", exceeded);
  if (risks.thresholds.length === 0) reasons.push({ code: "no-safety-limits", count: 0 });
  add("identity-changes", risks.identityChanges.count);
  add("adoptions", risks.adoptions);
  add("deletes", risks.deletes.person + risks.deletes.group);
  const inStage = facts.persons + risks.leftOut.count;
  const leftOutPercent = inStage > 0 ? (risks.leftOut.count / inStage) * 100 : 0;
  if (leftOutPercent > policy.maxLeftOutPercent) {
    add("left-out", risks.leftOut.count, { percent: leftOutPercent, limit: policy.maxLeftOutPercent });
  }
  if (readiness) {
    add("required-missing", readiness.creates - readiness.ready);
    add("required-removed", readiness.requiredRemoved);
  }
  return { state: exceeded > 0 ? "refused" : reasons.length > 0 ? "not-ready" : "ready", reasons };
}
