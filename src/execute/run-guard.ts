import { OverstapError } from "../errors.js";
import type { Run } from "../model/journal.js";
import type { LoadedPlan } from "../plan/plan-file.js";
import type { StateStore } from "../state/store.js";
import { liveStatus } from "./run-state.js";

/** Refuses to resume a run that does not exist, belongs to another plan, is finished or still running. */
export async function assertResumable(id: string, plan: LoadedPlan, store: StateStore): Promise<void> {
  const found = await store.getRun(id);
  if (!found)
    throw new OverstapError("RUN_UNKNOWN", `there is no run ${id}`, {
      hint: "`overstap runs` lists the runs.",
    });
  if (found.planHash !== plan.hash) {
    throw new OverstapError("RUN_STATE", `run ${found.id} applied another plan (${found.planFile})`, {
      hint: "Resume a run with the plan file it was started with.",
    });
  }
  if (found.status === "completed")
    throw new OverstapError("PLAN_APPLIED", `run ${found.id} is already completed; nothing to resume`, {
      hint: `To undo it: overstap rollback ${found.id}`,
    });
  if (liveStatus(found) === "running") throw inProgress(found);
}

/**
 * Refuses a plan that already has a run: applied ("already applied as RUN"), or interrupted or
 * failed (resume that run instead), or still running in another process.
 */
export async function assertNotApplied(
  plan: LoadedPlan,
  store: StateStore,
  resumeCommand: (id: string) => string,
): Promise<void> {
  const runs = (await store.listRuns()).filter((r) => r.planHash === plan.hash);
  const completed = runs.find((r) => r.status === "completed");
  if (completed) {
    throw new OverstapError(
      "PLAN_APPLIED",
      `this plan was already applied as run ${completed.id} (finished ${completed.finishedAt ?? "?"}); nothing was written`,
      {
        hint: `\`overstap runs\` shows it; to undo it: overstap rollback ${completed.id}. For later changes, make a new plan.`,
        details: { run: completed },
      },
    );
  }
  const last = runs.at(-1);
  if (!last) return;
  if (liveStatus(last) === "running") throw inProgress(last);
  throw new OverstapError(
    "RUN_STATE",
    `this plan already has a run, ${last.id}, that is ${liveStatus(last)} (${last.done} of ${last.total} operations done); nothing was written`,
    { hint: `Resume it with: ${resumeCommand(last.id)}`, details: { run: last } },
  );
}

function inProgress(run: Run): OverstapError {
  return new OverstapError(
    "RUN_IN_PROGRESS",
    `run ${run.id} of this plan is still running (process ${run.pid} on ${run.host}); nothing was written`,
    { hint: "Wait for it to finish, or stop it with Ctrl-C (it stops cleanly) and resume it then." },
  );
}
