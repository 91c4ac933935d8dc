import type { Group } from "../model/group.js";
import type { Person } from "../model/person.js";
import type { ReviewItem } from "../model/review.js";

/** What maps source objects to target entries (the compiled mapping, plus optional layers). */
export interface EntryMapper {
  readonly hash: string;
  readonly attributes: { person: string[]; group: string[] };
  mapPerson(person: Person, vars: Record<string, string>): MapOutcome;
  mapGroup(group: Group, vars: Record<string, string>): MapOutcome | null;
}
/** A mapped entry (its key and attributes), or why the object could not be mapped. */
export type MapOutcome =
  | { ok: true; key: string; attrs: Record<string, string[]> }
  | { ok: false; errors: { field: string; reason: string }[] };

/** Extra validation of a mapped person (a federation profile); returns review items. */
export type EntryValidator = (attrs: Record<string, string[]>, record: string) => ReviewItem[];
