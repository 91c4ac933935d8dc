import type { Config } from "../config/schema.js";
import type { ReviewItem } from "../model/review.js";
import type { ValueStore } from "../state/store.js";
import { collectGarbage } from "../util/collect-garbage.js";
import { assignIdentifiers } from "./assign-identifiers.js";
import { type CorrelationCounts, correlate } from "./correlation.js";
import { markDuplicates } from "./duplicates.js";
import type { AttributeColumns, MappedPerson } from "./mapped-person.js";
import type { TargetIndex } from "./target-index.js";
import type { TargetRecord } from "./target-record.js";

/** What {@link linkPersons} needs besides the mapped persons and the target. */
export interface LinkInputs {
  config: Pick<Config, "correlation" | "identifiers">;
  /** Attributes whose values must be unique among persons (the anchor attribute last). */
  unique: readonly string[];
  /** How many persons the mapping gave an anchor of their own (none: anchors cannot collide). */
  ownAnchors: number;
  /** Where issued identifiers are kept. */
  store: ValueStore;
  review: ReviewItem[];
}

/**
 * The link step: links each mapped person with its existing entry (anchor, key, correlation
 * keys) before identifiers are issued, so a linked entry keeps its uid; issues identifiers;
 * leaves out duplicates. Persons left out as ambiguous or conflicting get no identifier: one
 * issued now would win over their entry's own once the review is resolved. Frees the columns.
 *
 * @example
 * await linkPersons(mapped, columns, target, { config, unique, ownAnchors, store, review });
 * target.linkedPerson(mapped[0]); // the entry it was linked to, if any
 */
export async function linkPersons(
  mapped: MappedPerson[],
  columns: AttributeColumns,
  target: TargetIndex,
  inputs: LinkInputs,
): Promise<CorrelationCounts> {
  const { config, review, unique } = inputs;
  const first = review.length;
  const anchorAttr = config.correlation.anchor;
  const correlated = correlate(mapped, columns, target, config.correlation, review);
  const linkable = correlated.ambiguous + correlated.conflict > 0 ? mapped.filter((m) => !m.dropped) : mapped;
  await assignIdentifiers(linkable, columns, review, config.identifiers, inputs.store, target);
  // Default anchors are hashes of distinct references: they cannot collide, so only anchors a
  // mapping gave itself are checked (a million-entry map less).
  markDuplicates(
    mapped,
    columns,
    review,
    inputs.ownAnchors ? unique : unique.filter((a) => a !== anchorAttr),
    target,
  );
  markOutside(mapped, review, first);
  // The columns and the registry's maps are garbage now: collect before the diff sets the heap limit.
  columns.clear();
  collectGarbage();
  return correlated;
}

/** Marks the review items from `first` on that belong to persons the stage does not select. */
function markOutside(mapped: readonly MappedPerson[], review: ReviewItem[], first: number): void {
  if (review.length === first) return;
  const records = new Set(review.slice(first).map((r) => r.record));
  const outside = new Set<string>();
  for (const m of mapped) if (!m.selected && records.has(m.ref)) outside.add(m.ref);
  if (outside.size === 0) return;
  for (const item of review.slice(first)) if (outside.has(item.record)) item.outsideStage = true;
}

/**
 * The entry one mapped person links to, as the link step's correlation finds it (anchor, key,
 * configured keys), or undefined when there is none or the person would be left out as
 * ambiguous or conflicting. For look-ups one person at a time (ECK iDs in the target); `columns`
 * holds the person's values in row 0 and `m.row` is 0.
 *
 * @example
 * linkedEntry(m, columns, index, config.correlation)?.entry()
 */
export function linkedEntry(
  m: MappedPerson,
  columns: AttributeColumns,
  target: TargetIndex,
  correlation: Config["correlation"],
): TargetRecord | undefined {
  correlate([m], columns, target, correlation, []);
  return m.dropped ? undefined : target.linked(m.anchor, m.norm);
}
