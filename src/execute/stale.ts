import { OverstapError } from "../errors.js";
import type { TargetConnector } from "../model/connector.js";
import { fingerprint } from "../model/entry.js";
import type { Operation } from "../model/operation.js";
import type { TargetEntry } from "../model/target-entry.js";
import { normKey } from "../plan/keys.js";
import { targetLookup } from "./target-lookup.js";

/**
 * Refuses a plan (PLAN_STALE) when an object it touches changed in the target since planning.
 * Only the first operation on each object is checked against the target: later ones expect the
 * state the earlier ones leave. Operations in `skip` (already begun by this run) are ours.
 * Returns the seqs of the creates it checked, i.e. the first operations on objects it saw
 * absent: their before-image is "absent" without another look-up (an add that succeeds proves
 * the entry was absent; one that finds it is handled by the connector's idempotency).
 * @example const absent = await assertNotStale(plan.operations, target, new Set())
 */
export async function assertNotStale(
  ops: Operation[],
  target: TargetConnector,
  skip: ReadonlySet<number>,
): Promise<ReadonlySet<number>> {
  const touched = new Set<string>();
  const checks: { op: Operation; key: string; type: TargetEntry["type"]; expect: string | null }[] = [];
  for (const op of ops) {
    const key = normKey(op.key);
    const first = !touched.has(key);
    touched.add(key);
    if (op.newKey) {
      const newKey = normKey(op.newKey);
      if (!touched.has(newKey) && !skip.has(op.seq))
        checks.push({ op, key: op.newKey, type: op.type, expect: null });
      touched.add(newKey);
    }
    if (first && !skip.has(op.seq)) checks.push({ op, key: op.key, type: op.type, expect: op.fingerprint });
  }
  if (checks.length === 0) return new Set();
  const lookup = await targetLookup(target, checks.length, false);
  const stale: string[] = [];
  for (const c of checks) {
    const now = await lookup(c.key, c.type);
    if (fingerprint(now) !== c.expect) {
      stale.push(
        c.expect === null
          ? `${c.key} (now exists)`
          : now === null
            ? `${c.key} (now gone)`
            : `${c.key} (changed)`,
      );
    }
  }
  if (stale.length) {
    throw new OverstapError(
      "PLAN_STALE",
      `the plan is stale: ${stale.length} object(s) changed in the target since it was made, e.g.\n${stale
        .slice(0, 10)
        .map((s) => `  - ${s}`)
        .join("\n")}`,
      {
        hint: "Someone else changed the target. Make a new plan (`overstap plan`) and review it again; nothing was written.",
        details: { stale },
      },
    );
  }
  return new Set(checks.filter((c) => c.expect === null && c.key === c.op.key).map((c) => c.op.seq));
}
