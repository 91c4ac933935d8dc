import type { Operation } from "../model/operation.js";
import type { Project } from "./project.js";

/**
 * The target entries of the persons a plan changes without showing school and role (updates,
 * disables, deletes): read once from the target, keeping only the keys the plan needs.
 *
 * @example
 * const entries = await targetEntries(project, plan.operations); entries.get(key.toLowerCase())
 */
export async function targetEntries(
  project: Project,
  ops: Operation[],
): Promise<Map<string, Record<string, string[]>>> {
  const wanted = new Set(
    ops.filter((o) => o.type === "person" && o.kind !== "create").map((o) => o.key.toLowerCase()),
  );
  const found = new Map<string, Record<string, string[]>>();
  if (wanted.size === 0) return found;
  for await (const entry of (await project.target()).read()) {
    const key = entry.key.toLowerCase();
    if (wanted.has(key)) found.set(key, entry.attrs);
  }
  return found;
}
