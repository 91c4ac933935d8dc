import { existsSync } from "node:fs";
import { type LoadedPlan, readPlan } from "../plan/plan-file.js";
import { filterPlan, type PlanFilter } from "../plan/plan-filter.js";
import { openProject } from "./project.js";
import { targetEntries } from "./target-entries.js";

/** A saved plan narrowed by a filter (see {@link showPlan}). */
export interface ShownPlan {
  plan: LoadedPlan;
  operations: LoadedPlan["operations"];
  review: LoadedPlan["review"];
  /** Why the target was not read for school and login values, when it was needed and could not be. */
  targetNote?: string;
}

/**
 * Reads a saved plan and keeps the operations that match `filter`. A person or school filter
 * also looks at the target entries of updates, disables and deletes (which carry only what
 * changes), through the project's configuration when `configFile` exists; without it, or when
 * the target cannot be read, only the plan's own values are compared and `targetNote` says so.
 * Writes nothing.
 *
 * @example
 * const { operations } = await showPlan("pilot.plan", { person: "las:1234" }, "overstap.yaml");
 */
export async function showPlan(file: string, filter: PlanFilter, configFile?: string): Promise<ShownPlan> {
  const plan = await readPlan(file);
  let entries = new Map<string, Record<string, string[]>>();
  let targetNote: string | undefined;
  if (filter.person || filter.school) {
    if (configFile && existsSync(configFile)) {
      const project = await openProject(configFile, { inspect: true });
      try {
        entries = await targetEntries(project, plan.operations);
      } catch (err) {
        targetNote = `the target could not be read (${err instanceof Error ? err.message : String(err)}), so only the plan's own values were compared`;
      } finally {
        await project.close();
      }
    } else targetNote = "there is no configuration here, so only the plan's own values were compared";
  }
  const shown = filterPlan(plan.operations, plan.review, filter, (key) => entries.get(key));
  return { plan, ...shown, ...(targetNote ? { targetNote } : {}) };
}
