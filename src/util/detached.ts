/**
 * Strings cut from a larger string (`slice`, `substring`, regex groups) may keep that whole
 * larger string alive in V8: a 40-character value cut from a 1 MiB chunk of a file holds the
 * chunk. A value kept for the whole run (an index key, an anchor) is therefore detached first.
 */

/** V8 copies cuts shorter than this instead of pointing into the larger string. */
const SHORTEST_SLICE = 13;

/**
 * A copy of `s` that shares no memory with any other string. `s` must be well-formed UTF-16
 * (as any text decoded from UTF-8 is).
 *
 * @example index.set(detached(value), record) // does not keep the chunk `value` was cut from
 */
export function detached(s: string): string {
  return s.length < SHORTEST_SLICE ? s : Buffer.from(s, "utf8").toString("utf8");
}
