import type { Stage } from "../config/schema.js";
import { attrValues } from "../model/entry.js";
import { type Person, refOf } from "../model/person.js";
import { markOutsideStage, type ReviewItem } from "../model/review.js";
import type { EntryMapper, EntryValidator } from "./entry-mapper.js";
import { anchorFor, firstRdn } from "./keys.js";
import { type Digest, managedDigest } from "./perf/managed-digest.js";
import { inPopulation } from "./select.js";
import { checkIdentifier, validateSourceRecord } from "./validate-input.js";

const IDENTIFIER_ATTRS = ["uid", "eduPersonPrincipalName"];

/**
 * The groups a stage selection looks at, per person: only groups named by a stage are
 * resolved (see the planner's `groupSets`), so this stays small for a million pupils.
 */
export interface GroupSelection {
  /** Group ids and names the stages select by. */
  selected: ReadonlySet<string>;
  /** Person reference → the selected names of the groups it is a transitive member of. */
  transitive: ReadonlyMap<string, readonly string[]>;
  /** Group reference (`source:id`) → its selected names (id and/or name; empty when neither is selected). */
  known: ReadonlyMap<string, readonly string[]>;
}

/** Everything the mapping of one person needs; plain data plus the mapper and validator. */
export interface PersonMapping {
  mapper: EntryMapper;
  validate?: EntryValidator;
  vars: Record<string, string>;
  /** The institution's scope (schacHomeOrganization), for the default anchor. */
  scope: string;
  anchorAttr: string;
  /** The attributes the plan manages, as `digestNames` gives them: each mapped person's digest covers them. */
  managed: readonly string[];
  stages: Stage[];
  stageIndex: number;
  /** ECK iDs resolved before planning, per source reference. */
  eckIds?: ReadonlyMap<string, string>;
  groups?: GroupSelection;
}

/** A person that mapped without errors. */
export interface MappedOutcome {
  key: string;
  /** The anchor the mapping gave, or else the default one from the reference. */
  anchor: string;
  /** True when the mapping gave the anchor itself. */
  ownAnchor: boolean;
  enabled: boolean;
  selected: boolean;
  attrs: Record<string, string[]>;
  /** The digest of the managed attributes in {@link attrs}. */
  digest: Digest;
}

/** What mapping one person gave: review items (errors mean it is left out) and, if it mapped, the result. */
export interface PersonOutcome {
  ref: string;
  /** The default anchor of the person's reference: it marks the person as present in the source. */
  refAnchor: string;
  review: ReviewItem[];
  mapped?: MappedOutcome;
}

/**
 * Maps one person of the snapshot: checks the source record, maps it, checks the key and
 * identifiers and validates against the profile, then decides whether the stage selects it.
 * The same code runs in the planner's thread and in its mapping workers.
 */
export function mapOnePerson(person: Person, m: PersonMapping): PersonOutcome {
  const ref = refOf(person);
  const refAnchor = anchorFor(ref, m.scope);
  const eckId = m.eckIds?.get(ref);
  if (eckId !== undefined && person.ext.eckId === undefined) person.ext.eckId = eckId;
  const inputProblems = validateSourceRecord(ref, person);
  if (inputProblems.length)
    return { ref, refAnchor, review: markOutsideStage(inputProblems, selectedUnmapped(person, ref, m)) };
  const result = m.mapper.mapPerson(person, m.vars);
  if (!result.ok) {
    const review = result.errors.map(
      (e): ReviewItem => ({
        record: ref,
        field: e.field,
        rule: "mapping",
        reason: e.reason,
        severity: "error",
      }),
    );
    return { ref, refAnchor, review: markOutsideStage(review, selectedUnmapped(person, ref, m)) };
  }
  const review = checkMapped(ref, result.key, result.attrs);
  if (m.validate) review.push(...m.validate(result.attrs, ref));
  const attrs = result.attrs;
  const groups = m.groups ? groupNames(person, ref, m.groups) : NO_GROUPS;
  if (review.some((p) => p.severity === "error")) {
    const selected = inPopulation(m.stages, m.stageIndex, { person, attrs, groups });
    return { ref, refAnchor, review: markOutsideStage(review, selected) };
  }
  const mappedAnchor = attrValues(attrs, m.anchorAttr)[0];
  const anchor = mappedAnchor ?? refAnchor;
  if (mappedAnchor === undefined) attrs[m.anchorAttr] = [anchor];
  const selected = inPopulation(m.stages, m.stageIndex, { person, attrs, groups });
  return {
    ref,
    refAnchor,
    review: markOutsideStage(review, selected),
    mapped: {
      key: result.key,
      anchor,
      ownAnchor: mappedAnchor !== undefined,
      enabled: person.enabled,
      selected,
      attrs,
      digest: managedDigest(attrs, m.managed),
    },
  };
}

const NO_GROUPS: ReadonlySet<string> = new Set();

/**
 * Whether the stage selects a person that did not map, judged from the source record alone, or
 * undefined when a stage selects by affiliation, which only the mapping gives.
 */
function selectedUnmapped(person: Person, ref: string, m: PersonMapping): boolean | undefined {
  if (m.stages.slice(0, m.stageIndex + 1).some((s) => s.select.affiliation !== undefined)) return undefined;
  const groups = m.groups ? groupNames(person, ref, m.groups) : NO_GROUPS;
  return inPopulation(m.stages, m.stageIndex, { person, attrs: {}, groups });
}

/** The selected group ids and names of a person: its direct groups and the transitive ones. */
function groupNames(person: Person, ref: string, sel: GroupSelection): ReadonlySet<string> {
  let set: Set<string> | undefined;
  const transitive = sel.transitive.get(ref);
  if (transitive) set = new Set(transitive);
  for (const g of person.groups) {
    const names = sel.known.get(`${person.source}:${g}`) ?? (sel.selected.has(g) ? [g] : []);
    for (const name of names) {
      set ??= new Set();
      set.add(name);
    }
  }
  return set ?? NO_GROUPS;
}

function checkMapped(ref: string, key: string, attrs: Record<string, string[]>): ReviewItem[] {
  const items: ReviewItem[] = [];
  try {
    const rdn = firstRdn(key);
    if (!rdn || rdn.some((p) => p.value.trim() === "")) {
      items.push({
        record: ref,
        field: "key",
        rule: "key-invalid",
        reason: `the key ${JSON.stringify(key)} has an empty name`,
        severity: "error",
      });
    } else {
      for (const p of rdn) {
        const problem = checkIdentifier(p.value);
        if (problem)
          items.push({
            record: ref,
            field: p.type,
            rule: "identifier-invalid",
            reason: `${p.type} ${problem}`,
            severity: "error",
          });
      }
    }
  } catch {
    items.push({
      record: ref,
      field: "key",
      rule: "key-invalid",
      reason: `the key ${JSON.stringify(key)} is not a valid DN`,
      severity: "error",
    });
  }
  for (const name of IDENTIFIER_ATTRS) {
    for (const v of attrValues(attrs, name)) {
      const problem = checkIdentifier(v);
      if (problem && !items.some((i) => i.field === name)) {
        items.push({
          record: ref,
          field: name,
          rule: "identifier-invalid",
          reason: `${name} ${problem}`,
          severity: "error",
        });
      }
    }
  }
  return items;
}
