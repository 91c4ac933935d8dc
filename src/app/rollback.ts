import path from "node:path";
import { planRollback } from "../execute/rollback.js";
import { type LoadedPlan, writePlan } from "../plan/plan-file.js";
import { planMac } from "../plan/seal.js";
import { type Project, plansDir } from "./project.js";

/**
 * Builds and saves the inverse plan of a run, to `out` or to `rollback-RUN.plan` in the
 * project's plans folder; `force` also restores objects changed by someone else since the run.
 * Refused (RUN_IN_PROGRESS) while an apply on the target runs in team mode.
 * @example const undo = await rollbackRun(project, run.id, { out: "undo.plan" })
 */
export async function rollbackRun(
  project: Project,
  runId: string,
  options: { out?: string; force?: boolean } = {},
): Promise<LoadedPlan> {
  await project.locks.assertFree(project.targetId);
  const plan = await planRollback({
    runId,
    config: project.loaded.config,
    configHash: project.loaded.hash,
    store: project.store,
    target: await project.target(),
    force: options.force ?? false,
  });
  const file = options.out ?? path.join(plansDir(project.loaded), `rollback-${runId}.plan`);
  const seal = await project.seal();
  const hash = await writePlan(file, plan, seal);
  return { ...plan, file, hash, mac: planMac(seal.key, hash) };
}
