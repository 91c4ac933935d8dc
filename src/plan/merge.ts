import type { Person } from "../model/person.js";
import type { SnapshotStore } from "../state/store.js";

/**
 * The persons the mapping sees: one canonical person per real person, however many sources
 * know them. Both views give the persons in one order: as objects (inline mapping) and as
 * JSON text, page by page (mapping workers parse it themselves).
 */
export interface CanonicalPersons {
  /** How many persons there are. */
  readonly count: number;
  persons(): AsyncIterable<Person>;
  personTexts(): AsyncIterable<string[]>;
}

/**
 * The merge step, between the snapshot and the mapping: where persons from several sources
 * become one canonical person (a school administration export joined with a directory). For
 * now every person has one source, and the canonical persons are the snapshot's own.
 *
 * @example
 * const canonical = mergePersons(store, inputs.persons);
 */
export function mergePersons(
  store: Pick<SnapshotStore, "persons" | "personTexts">,
  count: number,
): CanonicalPersons {
  return {
    count,
    persons: () => store.persons(),
    personTexts: () => store.personTexts(),
  };
}
