import type { Group } from "../model/group.js";
import type { Person } from "../model/person.js";
import type { SnapshotView, SourceInfo } from "./store.js";

/**
 * One source's snapshot as its last pull left it, read-only: all a source connector may see of
 * the state store (to resume an interrupted pull, or apply a delta to what it sent before).
 */
export interface PreviousSnapshot {
  /** The counts, checkpoint and completeness of the snapshot; null before the first pull. */
  info(): Promise<SourceInfo | null>;
  /** The source's persons, in id order. */
  persons(): AsyncIterable<Person>;
  /** The source's groups, in id order. */
  groups(): AsyncIterable<Group>;
}

/**
 * The previous snapshot of `source` in `store`, and nothing else of it.
 * @example const ctx = connectorContext(loaded, ["sources", "entra"], { previous: previousSnapshot(store, "entra") });
 */
export function previousSnapshot(store: SnapshotView, source: string): PreviousSnapshot {
  return {
    info: () => store.sourceInfo(source),
    persons: () => store.persons(source),
    groups: () => store.groups(source),
  };
}
