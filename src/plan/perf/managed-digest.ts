import { attrName } from "../../model/entry.js";
import { FNV_OFFSET, FNV_PRIME } from "./value-hash.js";

/**
 * A 64-bit digest of the managed attributes of one person, as two 32-bit lanes: equal digests
 * of a mapped person and its target entry mean the plan has nothing to change in them, so the
 * entry need not be read back and diffed (most linked persons of a later plan; figures in
 * docs/performance.md). Not cryptographic; two lanes with different multipliers make an accidental match of
 * different contents about 2⁻⁶⁴.
 */
export type Digest = [lane0: number, lane1: number];

const SEED0 = FNV_OFFSET;
const SEED1 = 0x2545f491;
const PRIME0 = FNV_PRIME;
const PRIME1 = 0x5bd1e995;

/**
 * The names `managedDigest` covers: each of `managed` once, compared case-insensitively, in
 * order and spelled as first given (as `diffAttributes` takes them).
 */
export function digestNames(managed: Iterable<string>): string[] {
  const byLower = new Map<string, string>();
  for (const n of managed) if (!byLower.has(n.toLowerCase())) byLower.set(n.toLowerCase(), n);
  return [...byLower.values()];
}

/**
 * The digest of the values of `names` (from {@link digestNames}) in `attrs`, names matched
 * case-insensitively, each attribute's values as a sorted multiset: two records get the same
 * digest exactly when `diffAttributes` finds no change between them (up to a 2⁻⁶⁴ accident).
 *
 * @example managedDigest({ mail: ["a@x"] }, ["mail"]) // equals managedDigest({ MAIL: ["a@x"] }, ["mail"])
 */
export function managedDigest(attrs: Record<string, string[]>, names: readonly string[]): Digest {
  let h0 = SEED0;
  let h1 = SEED1;
  for (const name of names) {
    const values = attrs[name] ?? attrs[attrName(attrs, name) ?? name] ?? NONE;
    const sorted = values.length > 1 ? [...values].sort() : values;
    // Each text with its length first, so that no two different lists give one input.
    for (let v = -1; v < sorted.length; v++) {
      const s = v < 0 ? name : (sorted[v] as string);
      h0 = Math.imul(h0 ^ s.length, PRIME0);
      h1 = Math.imul(h1 ^ s.length, PRIME1);
      // Two UTF-16 units at a time (the length, mixed in first, keeps the last one apart).
      for (let i = 0; i < s.length; i += 2) {
        const c = s.charCodeAt(i) | ((s.charCodeAt(i + 1) | 0) << 16);
        h0 = Math.imul(h0 ^ c, PRIME0);
        h1 = Math.imul(h1 ^ c, PRIME1) ^ (h1 >>> 15);
      }
    }
    h0 = Math.imul(h0 ^ sorted.length, PRIME0);
    h1 = Math.imul(h1 ^ sorted.length, PRIME1);
  }
  return [h0 | 0, h1 | 0];
}

const NONE: string[] = [];
