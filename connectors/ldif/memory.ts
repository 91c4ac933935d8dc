import type { TargetConnector } from "../../src/model/connector.js";
import type { Operation } from "../../src/model/operation.js";
import type { ObjectType, TargetEntry } from "../../src/model/target-entry.js";
import { type Classify, Directory } from "./directory.js";

/** An in-memory target; `entries()` shows its whole content, for assertions in tests. */
export interface MemoryTarget extends TargetConnector {
  entries(): TargetEntry[];
}

/**
 * A target that lives in memory, with exactly the operation semantics of the LDIF target
 * (idempotent `expectedAfter`, TARGET_CONFLICT / TARGET_NO_SUCH_OBJECT, leaves only).
 * For unit tests of the planner and the executor.
 *
 * @example
 * const target = createMemoryTarget([{ key: "uid=piet,dc=x", type: "person", attrs: { uid: ["piet"] } }]);
 * await target.apply({ seq: 0, kind: "delete", type: "person", key: "uid=piet,dc=x", fingerprint: null });
 */
export function createMemoryTarget(
  entries: TargetEntry[] = [],
  options: { name?: string; classify?: Classify } = {},
): MemoryTarget {
  const dir = new Directory(options.classify);
  for (const e of entries) dir.load(e.key, e.attrs, e.type);
  return {
    name: options.name ?? "memory",
    async *read() {
      for (const e of dir.entries()) if (e.type !== null) yield { key: e.key, type: e.type, attrs: e.attrs };
    },
    async get(key: string, type: ObjectType) {
      return dir.get(key, type);
    },
    peek(key: string, type: ObjectType) {
      return dir.get(key, type);
    },
    async apply(op: Operation) {
      return dir.apply(op).after;
    },
    async close() {},
    entries() {
      const out: TargetEntry[] = [];
      for (const e of dir.entries())
        if (e.type !== null) out.push({ key: e.key, type: e.type, attrs: e.attrs });
      return out;
    },
  };
}
