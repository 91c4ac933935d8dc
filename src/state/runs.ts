import { OverstapError } from "../errors.js";
import { type Run, RunSchema } from "../model/journal.js";

/**
 * A run with `patch` applied, validated, as every backend's `updateRun` stores it; a run that
 * is not there is a RUN_UNKNOWN error.
 */
export function patchedRun(id: string, run: Run | null, patch: Partial<Omit<Run, "id">>): Run {
  if (!run) throw new OverstapError("RUN_UNKNOWN", `no run ${id} in the state store`);
  return RunSchema.parse({ ...run, ...patch });
}
