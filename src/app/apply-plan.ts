import { applyPlan } from "../execute/apply.js";
import { runOwner } from "../execute/run-state.js";
import type { Run } from "../model/journal.js";
import { requireApproval } from "../plan/approval.js";
import { type LoadedPlan, readPlan } from "../plan/plan-file.js";
import type { Project } from "./project.js";
import { SILENT, type Steps } from "./steps.js";

/** How to apply a plan file: consents, resuming, and what to tell whom along the way. */
export interface ApplyFlags {
  progress?: Steps;
  resume?: string;
  allowDeletes?: boolean;
  acceptIdentityChanges?: boolean;
  acceptAdoptions?: boolean;
  force?: boolean;
  /** Told about the plan once it is read and verified, before anything is applied. */
  onPlan?: (plan: LoadedPlan) => void | Promise<void>;
  signal?: AbortSignal;
  resumeCommand?: (id: string) => string;
  /** Who applies (`--by NAME`), recorded on the run. */
  by?: string;
}

/**
 * Applies a saved plan file to the project's target: refuses a plan the project did not make
 * or that is not approved when approval is required, then takes the target's apply lock (team
 * mode: refused, naming the holder, while another apply on the target runs) and applies it
 * (see `applyPlan`).
 * @example const run = await applyFile(project, "pilot.plan", { allowDeletes: true })
 */
export async function applyFile(project: Project, file: string, flags: ApplyFlags = {}): Promise<Run> {
  const { progress = SILENT, onPlan, ...rest } = flags;
  const plan = await readPlan(file);
  await project.verify(plan);
  await requireApproval(project.loaded.config, project.store, plan);
  await onPlan?.(plan);
  const lock = await project.locks.acquire(project.targetId, {
    ...runOwner(),
    ...(flags.by ? { by: flags.by } : {}),
    since: new Date().toISOString(),
  });
  try {
    const run = await applyPlan({
      plan,
      config: project.loaded.config,
      store: project.store,
      target: await project.target(),
      progress: progress.step(plan.header.kind === "rollback" ? "rollback" : "apply", plan.operations.length),
      onRun: (r) => lock.holdFor(r),
      ...rest,
    });
    progress.finish(describeRun(run));
    return run;
  } finally {
    await lock.release();
  }
}

/**
 * One line about a run.
 * @example describeRun(run) // "20261129-141503-7f3a  completed   stage pilot: 12/12 done, 0 failed"
 */
export function describeRun(run: Run): string {
  const what = run.kind === "rollback" ? `rollback of ${run.rollbackOf}` : `stage ${run.stage}`;
  return `${run.id}  ${run.status.padEnd(11)} ${what}: ${run.done}/${run.total} done, ${run.failed} failed`;
}
