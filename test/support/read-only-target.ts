import type { TargetConnector } from "../../src/model/connector.js";
import type { TargetEntry } from "../../src/model/target-entry.js";

/**
 * A target connector that can only be read: it yields a copy of each of `entries`, so what
 * reads it cannot change the test's entries. Enough for the planner's TargetIndex.
 */
export function readOnlyTarget(entries: TargetEntry[]): TargetConnector {
  return {
    name: "memory",
    async *read() {
      for (const e of entries) yield structuredClone(e);
    },
  } as unknown as TargetConnector;
}
