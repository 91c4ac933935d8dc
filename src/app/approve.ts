import { type Approval, recordApproval } from "../plan/approval.js";
import { planFingerprint } from "../plan/fingerprint.js";
import { readPlan } from "../plan/plan-file.js";
import type { Project } from "./project.js";

/** What {@link approvePlan} did: the plan's fingerprint, and the approval unless the fingerprint differed. */
export interface ApprovalOutcome {
  fingerprint: string;
  approval?: Approval;
}

/**
 * Records that `by` approved the plan in `file`, after checking that this project made it as it
 * is; with `fingerprint` (from the signed report) only when it is the plan's, else nothing is
 * recorded.
 * @example const { approval } = await approvePlan(project, "pilot.plan", { by: "J. de Vries" })
 */
export async function approvePlan(
  project: Project,
  file: string,
  options: { by: string; fingerprint?: string },
): Promise<ApprovalOutcome> {
  const plan = await readPlan(file);
  await project.verify(plan);
  const fingerprint = planFingerprint(plan.hash);
  if (options.fingerprint !== undefined && options.fingerprint.toUpperCase() !== fingerprint)
    return { fingerprint };
  return { fingerprint, approval: await recordApproval(project.store, plan, options.by) };
}
