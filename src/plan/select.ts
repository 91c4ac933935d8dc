import type { Select, Stage } from "../config/schema.js";
import { attrValues } from "../model/entry.js";
import type { Person } from "../model/person.js";
import { refOf } from "../model/person.js";

/** What a stage selection can look at for one person. */
export interface Candidate {
  person: Person;
  attrs: Record<string, string[]>;
  /** Ids and names of the source groups the person is in. */
  groups: ReadonlySet<string>;
}

/** True when the candidate matches one selection (fields AND-ed, values OR-ed). An empty selection matches no one. */
export function matchesSelect(select: Select, c: Candidate): boolean {
  const keys = Object.keys(select).filter((k) => select[k as keyof Select] !== undefined);
  if (keys.length === 0) return false;
  if (select.all === false) return false;
  if (select.source && !select.source.includes(c.person.source)) return false;
  if (select.ids && !select.ids.includes(c.person.id) && !select.ids.includes(refOf(c.person))) return false;
  if (select.role && !c.person.roles.some((r) => select.role?.includes(r))) return false;
  if (select.group && !select.group.some((g) => c.groups.has(g))) return false;
  if (select.affiliation) {
    const aff = attrValues(c.attrs, "eduPersonAffiliation");
    if (!aff.some((a) => select.affiliation?.includes(a))) return false;
  }
  if (select.brin) {
    const brins = [
      ...(c.person.brin ? [`${c.person.brin}${c.person.vestiging ?? ""}`] : []),
      ...attrValues(c.attrs, "nlEduPersonHomeOrganizationId"),
      ...attrValues(c.attrs, "nlEduPersonHomeOrganizationBranchId"),
    ].map((b) => b.toUpperCase());
    if (!select.brin.some((b) => brins.some((have) => have.startsWith(b.toUpperCase())))) return false;
  }
  return true;
}

/**
 * True when the candidate belongs to the population of stage `index`: stages are cumulative,
 * so a later stage includes everyone selected by the stages before it.
 */
export function inPopulation(stages: Stage[], index: number, c: Candidate): boolean {
  for (let i = 0; i <= index; i++) {
    const stage = stages[i];
    if (stage && matchesSelect(stage.select, c)) return true;
  }
  return false;
}
