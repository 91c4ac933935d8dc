import type { CorrelationKey } from "../config/schema.js";
import type { TargetRecord } from "./target-record.js";

/** Normalised value → the person entry holding it, or the entries when several do (rare, so no array per value). */
export type ValueIndex = Map<string, TargetRecord | TargetRecord[]>;

/** A value as a key compares it: trimmed, and lower-cased unless the key matches exactly. */
export function normValue(value: string, match: CorrelationKey["match"]): string {
  const v = value.trim();
  return match === "exact" ? v : v.toLowerCase();
}

/** Adds the values `record` holds for one key to that key's index (empty values are skipped). */
export function indexValues(
  index: ValueIndex,
  values: readonly string[],
  record: TargetRecord,
  match: CorrelationKey["match"],
): void {
  for (const raw of values) {
    const v = normValue(raw, match);
    if (!v) continue;
    const held = index.get(v);
    if (held === undefined) index.set(v, record);
    else if (!Array.isArray(held)) {
      if (held !== record) index.set(v, [held, record]);
    } else if (!held.includes(record)) held.push(record);
  }
}

/** The entries holding any of `values` (normalised here): one record, several as an array, or none. */
export function lookUp(
  index: ValueIndex,
  values: readonly string[],
  match: CorrelationKey["match"],
): TargetRecord | TargetRecord[] | undefined {
  if (values.length === 1) {
    const v = normValue(values[0] as string, match);
    return v ? index.get(v) : undefined;
  }
  const hits = new Set<TargetRecord>();
  for (const raw of values) {
    const v = normValue(raw, match);
    const held = v ? index.get(v) : undefined;
    if (Array.isArray(held)) for (const r of held) hits.add(r);
    else if (held) hits.add(held);
  }
  if (hits.size === 0) return undefined;
  return hits.size === 1 ? (hits.values().next().value as TargetRecord) : [...hits];
}
