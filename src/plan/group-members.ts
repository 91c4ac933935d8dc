import type { Stage } from "../config/schema.js";
import { OverstapError } from "../errors.js";
import type { Group } from "../model/group.js";
import { refOf } from "../model/person.js";
import type { SnapshotView } from "../state/store.js";
import { didYouMean } from "../util/did-you-mean.js";
import type { GroupSelection } from "./map-person.js";

/** The snapshot's groups, and each by its reference (`source:id`). */
export interface SnapshotGroups {
  groups: Group[];
  byRef: Map<string, Group>;
}

/**
 * Reads every group of the snapshot (groups come first: a selection by group needs each
 * person's group names).
 */
export async function readGroups(store: Pick<SnapshotView, "groups">): Promise<SnapshotGroups> {
  const groups: Group[] = [];
  const byRef = new Map<string, Group>();
  for await (const g of store.groups()) {
    groups.push(g);
    byRef.set(refOf(g), g);
  }
  return { groups, byRef };
}

/**
 * What a stage selection by group needs (see {@link GroupSelection}), or undefined when no stage
 * up to `stageIndex` selects by group. Only selected groups are resolved, so a board of a million
 * pupils in tens of thousands of classes costs only the members of the pilot groups.
 *
 * @example
 * const selection = selectGroups(await readGroups(store), config.stages, 0);
 */
export function selectGroups(
  snapshot: SnapshotGroups,
  stages: readonly Stage[],
  stageIndex: number,
): GroupSelection | undefined {
  const selected = new Set<string>();
  for (const s of stages.slice(0, stageIndex + 1)) for (const g of s.select.group ?? []) selected.add(g);
  if (selected.size === 0) return undefined;
  const transitive = new Map<string, string[]>();
  const known = new Map<string, string[]>();
  for (const g of snapshot.groups) {
    const names = [g.id, g.name].filter((n) => selected.has(n));
    known.set(refOf(g), names);
    if (names.length === 0) continue;
    for (const memberId of resolveMembers(g, snapshot.byRef)) {
      const ref = `${g.source}:${memberId}`;
      const have = transitive.get(ref);
      if (!have) transitive.set(ref, [...names]);
      else for (const n of names) if (!have.includes(n)) have.push(n);
    }
  }
  return { selected, transitive, known };
}

/**
 * Refuses a stage that selects by a group no source has (STAGE_SELECTION), with the group names
 * closest to it: a mistyped class name would otherwise select no one and plan "no changes".
 * Groups of earlier stages are not checked here: each was checked when its own stage was planned,
 * and a class that has since gone from the source selects no one any more, as it should.
 *
 * @example
 * requireSelectedGroups(await readGroups(store), stage); // throws for select.group: ["Groep 8x"]
 */
export function requireSelectedGroups(snapshot: SnapshotGroups, stage: Stage): void {
  const wanted = stage.select.group ?? [];
  if (wanted.length === 0) return;
  const known = new Set(snapshot.groups.flatMap((g) => [g.id, g.name]));
  const missing = wanted.filter((g) => !known.has(g));
  if (missing.length === 0) return;
  const names = snapshot.groups.map((g) => g.name);
  const suggestions = missing.map((g) => didYouMean(g, names).trim()).filter(Boolean);
  const which = missing.map((g) => `group "${g}"`).join(", ");
  throw new OverstapError(
    "STAGE_SELECTION",
    `stage "${stage.name}" selects ${which}, which no source has: by ${missing.length === 1 ? "it" : "them"} the stage selects no one`,
    {
      hint: [
        ...suggestions,
        `Groups are named exactly as the source names them; fix select.group of stage "${stage.name}" in the configuration.`,
      ].join(" "),
    },
  );
}

/**
 * Transitive person members of a group; nested groups resolved. A cycle back to the group is
 * tolerated (each member counted once) and reported through `onCycle`.
 *
 * @example
 * resolveMembers(group, byRef, () => warn("cycle")) // Set { "u1", "u2" }
 */
export function resolveMembers(group: Group, byRef: Map<string, Group>, onCycle?: () => void): Set<string> {
  const out = new Set<string>();
  const root = refOf(group);
  const visited = new Set<string>([root]);
  const stack = [group];
  let cyclic = false;
  while (stack.length) {
    const g = stack.pop() as Group;
    for (const id of g.members) {
      const nested = byRef.get(`${g.source}:${id}`);
      if (nested) {
        const ref = refOf(nested);
        if (ref === root && !cyclic) {
          cyclic = true;
          onCycle?.();
        }
        if (!visited.has(ref)) {
          visited.add(ref);
          stack.push(nested);
        }
      } else out.add(id);
    }
  }
  return out;
}
