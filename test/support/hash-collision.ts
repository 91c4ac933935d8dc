import { valueHash } from "../../src/plan/perf/value-hash.js";

/** Two different lower-case strings with the same 32-bit `valueHash` (a birthday search), `prefix` first. */
export function hashCollision(prefix = "m"): [string, string] {
  const seen = new Map<number, string>();
  for (let i = 0; ; i++) {
    const s = `${prefix}${i.toString(36)}@x.nl`;
    const h = valueHash(s, true);
    const other = seen.get(h);
    if (other !== undefined) return [other, s];
    seen.set(h, s);
  }
}
