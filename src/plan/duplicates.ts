import { attrValues } from "../model/entry.js";
import type { ReviewItem } from "../model/review.js";
import type { AttributeColumns, MappedPerson } from "./mapped-person.js";
import { HashSet, valueHash } from "./perf/value-hash.js";
import type { TargetIndex } from "./target-index.js";

/**
 * Drops every person whose key or value of a unique attribute (case-insensitive) another person
 * produces too, with a `duplicate` review item, except the one linked to a target entry that
 * holds the value, however `correlate` linked it (anchor, key or configured key; see
 * {@link TargetIndex.linked}). Fields are checked in order (the key first), values in the order
 * they first occur. Only persons sharing a value are looked up in the target.
 */
export function markDuplicates(
  mapped: readonly MappedPerson[],
  columns: AttributeColumns,
  review: ReviewItem[],
  unique: readonly string[],
  target: TargetIndex,
): void {
  for (const field of ["key", ...unique]) {
    const each = (visit: (value: string, m: MappedPerson) => void) => {
      for (const m of mapped) {
        if (field === "key") visit(m.norm, m);
        else for (const v of columns.values(field, m.row)) visit(v, m);
      }
    };
    const fold = field !== "key";
    // Pass 1 finds the hashes that occur more than once; pass 2 gathers only the persons with such
    // a hash, by exact value (a map of every value costs far more; docs/performance.md).
    const seen = new HashSet(mapped.length);
    const suspect = new Set<number>();
    each((v) => {
      const h = valueHash(v, fold);
      if (!seen.add(h)) suspect.add(h);
    });
    if (suspect.size === 0) continue;
    const holders = new Map<string, MappedPerson | MappedPerson[]>();
    each((v, m) => {
      if (!suspect.has(valueHash(v, fold))) return;
      const value = fold ? v.toLowerCase() : v;
      const have = holders.get(value);
      if (have === undefined) holders.set(value, m);
      else if (Array.isArray(have)) have.push(m);
      else holders.set(value, [have, m]);
    });
    for (const [value, list] of holders) {
      if (!Array.isArray(list)) continue;
      // A person already linked to a target entry holding the value keeps it.
      const keeper = list.find((m) => {
        const linked = target.linkedPerson(m);
        if (linked === undefined) return false;
        if (field === "key") return linked.norm === value;
        const attrs = linked.entry().attrs;
        return attrValues(attrs, field).some((v) => v.toLowerCase() === value);
      });
      for (const m of list) {
        if (m === keeper || m.dropped) continue;
        m.dropped = true;
        const others = list.filter((o) => o !== m).map((o) => o.ref);
        review.push({
          record: m.ref,
          field,
          rule: "duplicate",
          reason: `${field} ${JSON.stringify(field === "key" ? m.key : value)} is also produced for ${others.join(", ")}`,
          severity: "error",
          candidates: others,
        });
      }
    }
  }
}
