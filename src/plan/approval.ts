import { hostname, userInfo } from "node:os";
import { z } from "zod";
import type { Config } from "../config/schema.js";
import { OverstapError } from "../errors.js";
import type { StateStore } from "../state/store.js";
import { planFingerprint } from "./fingerprint.js";
import type { LoadedPlan } from "./plan-file.js";

/** State namespace: plan id → its {@link Approval} as JSON. */
export const APPROVALS = "approvals";

/** Who approved which plan content, and when. */
export const ApprovalSchema = z.object({
  planId: z.string(),
  hash: z.string(),
  fingerprint: z.string(),
  by: z.string(),
  at: z.string(),
  user: z.string(),
  host: z.string(),
});
export type Approval = z.infer<typeof ApprovalSchema>;

/**
 * Records that `by` approved this plan, exactly as it is (its content hash and fingerprint).
 * Approving again replaces the earlier approval of the same plan.
 *
 * @example
 * await recordApproval(store, await readPlan("pilot.plan"), "J. de Vries, bestuurder");
 */
export async function recordApproval(
  store: StateStore,
  plan: LoadedPlan,
  by: string,
  now = new Date(),
): Promise<Approval> {
  const approval: Approval = {
    planId: plan.header.id,
    hash: plan.hash,
    fingerprint: planFingerprint(plan.hash),
    by,
    at: now.toISOString(),
    user: userInfo().username,
    host: hostname(),
  };
  await store.setValues(APPROVALS, [[plan.header.id, JSON.stringify(approval)]]);
  return approval;
}

/** The approval recorded for this plan's id, if any (whatever content it was given for). */
export async function approvalOf(store: StateStore, planId: string): Promise<Approval | undefined> {
  const text = (await store.getValues(APPROVALS, [planId])).get(planId);
  return text === undefined ? undefined : ApprovalSchema.parse(JSON.parse(text));
}

/**
 * With `approval: required`, refuses a migration plan (PLAN_UNAPPROVED) that has no recorded
 * approval, or whose approval was given for other content (another fingerprint). Rollback plans
 * restore what was there before an approved run, so they need none.
 */
export async function requireApproval(config: Config, store: StateStore, plan: LoadedPlan): Promise<void> {
  if (config.approval !== "required" || plan.header.kind !== "migrate") return;
  const approval = await approvalOf(store, plan.header.id);
  const fingerprint = planFingerprint(plan.hash);
  if (approval?.hash === plan.hash) return;
  throw new OverstapError(
    "PLAN_UNAPPROVED",
    approval
      ? `${plan.file} (fingerprint ${fingerprint}) differs from the plan ${approval.by} approved (fingerprint ${approval.fingerprint})`
      : `${plan.file} (fingerprint ${fingerprint}) has not been approved; the configuration says approval: required`,
    { hint: `After the board has approved this fingerprint: overstap approve ${plan.file} --by "NAME"` },
  );
}
