import { liveStatus } from "../execute/run-state.js";
import type { Run } from "../model/journal.js";
import type { Project } from "./project.js";

/** A run as `overstap runs` shows it: its live status, and the rollbacks that undid it. */
export type ListedRun = Run & { rolledBackBy: string[] };

/**
 * The runs in start order, each with its live status (a `running` run whose process died is
 * `interrupted`) and the ids of the rollback runs of it.
 * @example const runs = await listRuns(project)
 */
export async function listRuns(project: Project): Promise<ListedRun[]> {
  const runs = await project.store.listRuns();
  return runs.map((r) => ({
    ...r,
    status: liveStatus(r),
    rolledBackBy: runs.filter((o) => o.kind === "rollback" && o.rollbackOf === r.id).map((o) => o.id),
  }));
}
