import { z } from "zod";
import type { ReviewItem } from "../model/review.js";
import type { TargetEntry } from "../model/target-entry.js";

const MatchSchema = z.enum(["ignore-case", "exact"]);

/**
 * How mapped persons are matched with entries already in the target.
 * - `anchor`: a target attribute that holds the person's source reference (`value: ref`, the
 *   default: `source:id`; `id`: the id alone; `mapped`: the person's own mapped value of that
 *   attribute, e.g. `employeeNumber`). An anchor match is authoritative, and an entry whose anchor
 *   names someone else is never linked to this person.
 * - `keys`: tried in order when there is no anchor match (ePPN, mail, pupil number), each with
 *   a confidence reported on the link. A link by a key below `reviewBelow` is also reported.
 */
export const CorrelationConfigSchema = z.strictObject({
  anchor: z
    .strictObject({
      attribute: z.string().min(1),
      value: z.enum(["ref", "id", "mapped"]).default("ref"),
      match: MatchSchema.default("exact"),
    })
    .optional(),
  keys: z
    .array(
      z.strictObject({
        attribute: z.string().min(1),
        confidence: z.number().min(0).max(1),
        match: MatchSchema.default("ignore-case"),
      }),
    )
    .default([]),
  reviewBelow: z.number().min(0).max(1).default(0),
});
export type CorrelationConfig = z.infer<typeof CorrelationConfigSchema>;
export type CorrelationConfigInput = z.input<typeof CorrelationConfigSchema>;

/** A person as the mapping produced it: its source reference and target attributes. */
export interface MappedPerson {
  ref: string;
  attrs: Record<string, string[]>;
}

/** How one person relates to the target. `by` is `anchor` or the key attribute that matched. */
export type Correlation =
  | { outcome: "linked"; ref: string; key: string; by: string; confidence: number }
  | { outcome: "new"; ref: string }
  | { outcome: "ambiguous"; ref: string; by: string; candidates: string[] }
  | { outcome: "conflict"; ref: string; by: string; candidates: string[]; reason: string };

/** The outcome for a whole population. */
export interface CorrelationResult {
  byRef: Map<string, Correlation>;
  /** Keys of person entries in the target that no person linked to (leavers, hand-made accounts). */
  unmatched: string[];
  /** `correlation-ambiguous` and `correlation-conflict` errors (left out), `correlation-weak` warnings. */
  review: ReviewItem[];
  counts: { linked: number; new: number; ambiguous: number; conflict: number };
}

/** Person entries of the target, indexed once per configured attribute. */
export interface TargetIndex {
  config: CorrelationConfig;
  entries: TargetEntry[];
  anchor: ValueIndex;
  keys: ValueIndex[];
  /** Per entry, its normalised anchor values (empty when it has none). */
  anchors: string[][];
}

type Match = z.infer<typeof MatchSchema>;

function norm(value: string, match: Match): string {
  const v = value.trim();
  return match === "exact" ? v : v.toLowerCase();
}

/** Normalised value → the entry holding it, or the entries when several do (rare, so no array per value). */
type ValueIndex = Map<string, number | number[]>;

function addTo(index: ValueIndex, values: string[], i: number): void {
  for (const v of values) {
    const held = index.get(v);
    if (held === undefined) index.set(v, i);
    else if (typeof held === "number") {
      if (held !== i) index.set(v, [held, i]);
    } else if (held[held.length - 1] !== i) held.push(i);
  }
}

/**
 * A function that reads the given attributes (names case-insensitive) from an attribute
 * record in one pass over its keys, without a lookup per miss.
 */
function picker(names: string[]): (attrs: Record<string, string[]>) => (string[] | undefined)[] {
  const unique = [...new Set(names.map((n) => n.toLowerCase()))];
  const slotsOf = new Map(
    unique.map((u) => [u, names.flatMap((n, i) => (n.toLowerCase() === u ? [i] : []))]),
  );
  const exact = new Map<string, number[]>();
  for (const n of names) exact.set(n, slotsOf.get(n.toLowerCase()) as number[]);
  return (attrs) => {
    const out: (string[] | undefined)[] = new Array(names.length);
    for (const key in attrs) {
      const slots = exact.get(key) ?? slotsOf.get(key.toLowerCase());
      if (slots) for (const slot of slots) out[slot] = attrs[key];
    }
    return out;
  };
}

function attributeNames(config: CorrelationConfig): string[] {
  return [config.anchor?.attribute ?? "", ...config.keys.map((k) => k.attribute)];
}

/**
 * Indexes the target's person entries for {@link correlate}: one Map per anchor/key attribute,
 * values normalised (`ignore-case`: trimmed and lower-cased). Build it once per plan.
 */
export function indexTarget(entries: Iterable<TargetEntry>, config: CorrelationConfig): TargetIndex {
  const list: TargetEntry[] = [];
  const anchor: ValueIndex = new Map();
  const anchors: string[][] = [];
  const keys = config.keys.map((): ValueIndex => new Map());
  const pick = picker(attributeNames(config));
  for (const entry of entries) {
    if (entry.type !== "person") continue;
    const i = list.length;
    list.push(entry);
    const values = pick(entry.attrs);
    const own = config.anchor ? normAll(values[0], config.anchor.match) : [];
    anchors.push(own);
    addTo(anchor, own, i);
    config.keys.forEach((key, k) => {
      addTo(keys[k] as ValueIndex, normAll(values[k + 1], key.match), i);
    });
  }
  return { config, entries: list, anchor, keys, anchors };
}

function normAll(values: string[] | undefined, match: Match): string[] {
  if (!values) return [];
  const out: string[] = [];
  for (const raw of values) {
    const v = norm(raw, match);
    if (v) out.push(v);
  }
  return out;
}

function anchorValues(
  person: MappedPerson,
  anchor: NonNullable<CorrelationConfig["anchor"]>,
  mapped?: string[],
) {
  if (anchor.value === "ref") return [person.ref];
  if (anchor.value === "id") return [person.ref.slice(person.ref.indexOf(":") + 1)];
  return mapped;
}

/** The entries holding any of `values` (normalised here): one index, several as an array, or none. */
function find(index: ValueIndex, values: string[] | undefined, match: Match): number | number[] | undefined {
  if (!values || values.length === 0) return undefined;
  if (values.length === 1) {
    const v = norm(values[0] as string, match);
    return v ? index.get(v) : undefined;
  }
  const hits = new Set<number>();
  for (const raw of values) {
    const held = index.get(norm(raw, match));
    if (typeof held === "number") hits.add(held);
    else if (held) for (const i of held) hits.add(i);
  }
  if (hits.size === 0) return undefined;
  return hits.size === 1 ? (hits.values().next().value as number) : [...hits];
}

interface Claim {
  person: number;
  by: string;
  confidence: number;
}

/**
 * Matches mapped persons with the target: first by the anchor, then by each key in order.
 * Exactly one candidate links; none means new; several candidates are `ambiguous`; a candidate
 * anchored to someone else, or claimed by several persons, is a `conflict` (for each of them).
 * Ambiguous and conflicting persons go to the review list with the candidates' keys and must be
 * left out of the operations. Never guesses.
 * Example: `correlate(mapped, indexTarget(entries, CorrelationConfigSchema.parse({ anchor: {
 * attribute: "employeeNumber", value: "mapped" }, keys: [{ attribute: "mail", confidence: 0.8 }] })))`.
 */
export function correlate(persons: readonly MappedPerson[], index: TargetIndex): CorrelationResult {
  const { config, entries } = index;
  const anchor = config.anchor;
  const byRef = new Map<string, Correlation>();
  const claims = new Map<number, Claim[]>();
  const pick = picker(attributeNames(config));

  persons.forEach((person, p) => {
    const picked = pick(person.attrs);
    const own = anchor ? anchorValues(person, anchor, picked[0]) : undefined;
    if (anchor) {
      const hit = find(index.anchor, own, anchor.match);
      if (typeof hit === "number") {
        claim(claims, hit, { person: p, by: "anchor", confidence: 1 });
        return;
      }
      if (hit) {
        byRef.set(person.ref, {
          outcome: "ambiguous",
          ref: person.ref,
          by: "anchor",
          candidates: keysOf(entries, hit),
        });
        return;
      }
    }
    for (let k = 0; k < config.keys.length; k++) {
      const key = config.keys[k] as CorrelationConfig["keys"][number];
      const hit = find(index.keys[k] as ValueIndex, picked[k + 1], key.match);
      if (hit === undefined) continue;
      if (typeof hit !== "number") {
        byRef.set(person.ref, {
          outcome: "ambiguous",
          ref: person.ref,
          by: key.attribute,
          candidates: keysOf(entries, hit),
        });
        return;
      }
      if ((index.anchors[hit] as string[]).length > 0) {
        byRef.set(person.ref, {
          outcome: "conflict",
          ref: person.ref,
          by: key.attribute,
          candidates: keysOf(entries, [hit]),
          reason: `the only entry matching by ${key.attribute} carries ${anchor?.attribute} of another person`,
        });
        return;
      }
      claim(claims, hit, { person: p, by: key.attribute, confidence: key.confidence });
      return;
    }
    byRef.set(person.ref, { outcome: "new", ref: person.ref });
  });

  const linkedEntries = new Set<number>();
  for (const [entry, list] of claims) {
    const key = (entries[entry] as TargetEntry).key;
    if (list.length === 1) {
      const c = list[0] as Claim;
      const ref = (persons[c.person] as MappedPerson).ref;
      byRef.set(ref, { outcome: "linked", ref, key, by: c.by, confidence: c.confidence });
      linkedEntries.add(entry);
      continue;
    }
    const refs = list.map((c) => (persons[c.person] as MappedPerson).ref);
    list.forEach((c, n) => {
      const ref = refs[n] as string;
      const others = refs.filter((r) => r !== ref).sort();
      byRef.set(ref, {
        outcome: "conflict",
        ref,
        by: c.by,
        candidates: [key],
        reason: `the entry also matches ${others.join(", ")}`,
      });
    });
  }

  const unmatched: string[] = [];
  entries.forEach((e, i) => {
    if (!linkedEntries.has(i)) unmatched.push(e.key);
  });
  return { byRef, unmatched, ...summarise(byRef, config.reviewBelow) };
}

function claim(claims: Map<number, Claim[]>, entry: number, c: Claim): void {
  const list = claims.get(entry);
  if (list) list.push(c);
  else claims.set(entry, [c]);
}

function keysOf(entries: TargetEntry[], hits: number[]): string[] {
  return hits.map((i) => (entries[i] as TargetEntry).key).sort();
}

/** Counts and review items, in record order so the review list does not depend on input order. */
function summarise(
  byRef: Map<string, Correlation>,
  reviewBelow: number,
): Pick<CorrelationResult, "review" | "counts"> {
  const review: ReviewItem[] = [];
  const counts = { linked: 0, new: 0, ambiguous: 0, conflict: 0 };
  for (const c of byRef.values()) {
    counts[c.outcome]++;
    if (c.outcome === "new" || (c.outcome === "linked" && c.confidence >= reviewBelow)) continue;
    const field = c.by === "anchor" ? undefined : c.by;
    const base = { record: c.ref, ...(field ? { field } : {}) };
    if (c.outcome === "ambiguous") {
      review.push({
        ...base,
        rule: "correlation-ambiguous",
        reason: `${c.candidates.length} target entries match by ${c.by}; link the right one by hand or fix the data`,
        severity: "error",
        candidates: c.candidates,
      });
    } else if (c.outcome === "conflict") {
      review.push({
        ...base,
        rule: "correlation-conflict",
        reason: c.reason,
        severity: "error",
        candidates: c.candidates,
      });
    } else if (c.outcome === "linked") {
      review.push({
        ...base,
        rule: "correlation-weak",
        reason: `linked by ${c.by} with confidence ${c.confidence}; check that it is the same person`,
        severity: "warning",
        candidates: [c.key],
      });
    }
  }
  review.sort((a, b) => (a.record < b.record ? -1 : a.record > b.record ? 1 : 0));
  return { review, counts };
}
