import type { TargetConnector } from "../model/connector.js";
import type { TargetEntry } from "../model/target-entry.js";
import { normKey } from "../plan/keys.js";

/** Above this many objects to look up, one full read of the target beats one look-up each. */
export const FULL_READ_THRESHOLD = 2000;

/** Finds the entry of one object in the target, null when absent (or of the other type). */
export type Lookup = (key: string, type: TargetEntry["type"]) => Promise<TargetEntry | null>;

/**
 * How to look up `count` objects: `target.get` for a few, else one full `read` kept in memory.
 * A full read only holds the entries under the target's bases; with `askWhenMissing` an object
 * the read did not find is asked for with `get` (it may live elsewhere, e.g. in a disabled OU),
 * without it such an object counts as absent.
 * @example const lookup = await targetLookup(target, keys.length, true); await lookup(key, "person")
 */
export async function targetLookup(
  target: TargetConnector,
  count: number,
  askWhenMissing: boolean,
): Promise<Lookup> {
  if (count <= FULL_READ_THRESHOLD) return (key, type) => target.get(key, type);
  const all = new Map<string, TargetEntry>();
  for await (const e of target.read()) all.set(normKey(e.key), e);
  return async (key, type) => {
    const found = all.get(normKey(key));
    if (found) return found.type === type ? found : null;
    return askWhenMissing ? target.get(key, type) : null;
  };
}
