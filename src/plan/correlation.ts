import type { Correlation, CorrelationKey } from "../config/schema.js";
import type { ReviewItem } from "../model/review.js";
import type { AttributeColumns, MappedPerson } from "./mapped-person.js";
import type { TargetIndex } from "./target-index.js";
import type { TargetRecord } from "./target-record.js";

/** How many persons ended up how (see {@link correlate}). */
export interface CorrelationCounts {
  linked: number;
  new: number;
  ambiguous: number;
  conflict: number;
}

/** The slot of a claim by the entry at the person's own key (no configured key). */
const BY_KEY = 0;

/**
 * Links mapped persons with the target's person entries: by the anchor first; else the entry at
 * the person's own key, if it has no anchor; else by each configured key in order, the first key
 * that finds anything deciding. Exactly one candidate without an anchor links (the person's plan
 * then writes the anchor onto it); several candidates are `correlation-ambiguous`; a candidate
 * carrying another person's anchor, or one claimed by several persons, is `correlation-conflict`
 * (for each of them). Both are review errors with the candidates' keys, and those persons are
 * marked dropped, so they get no operation. A link by a key whose confidence is below
 * `reviewBelow` is a `correlation-weak` warning. Links made here are recorded in `target`
 * ({@link TargetIndex.linked}); key values are read from `columns`, which must keep every
 * configured key attribute. Never guesses.
 *
 * @example
 * correlate(mapped, columns, target, config.correlation, review);
 * target.linked(m.anchor, m.norm); // the linked entry, whichever way it was found
 */
export function correlate(
  mapped: readonly MappedPerson[],
  columns: AttributeColumns,
  target: TargetIndex,
  config: Correlation,
  review: ReviewItem[],
): CorrelationCounts {
  const counts: CorrelationCounts = { linked: 0, new: 0, ambiguous: 0, conflict: 0 };
  const claims = new Map<TargetRecord, MappedPerson | MappedPerson[]>();
  const via = new Uint16Array(mapped.length);
  const leaveOut = (m: MappedPerson, item: Omit<ReviewItem, "record" | "severity">) => {
    m.dropped = true;
    counts[item.rule === "correlation-ambiguous" ? "ambiguous" : "conflict"]++;
    review.push({ record: m.ref, ...item, severity: "error" });
  };

  for (const m of mapped) {
    if (m.dropped) continue;
    if (target.byAnchor.has(m.anchor)) {
      const shared = target.sharedAnchor(m.anchor);
      if (shared) {
        leaveOut(m, {
          rule: "correlation-ambiguous",
          reason: `${shared.length} target entries carry this person's anchor; keep it on one of them`,
          candidates: keysOf(shared),
        });
      } else counts.linked++;
      continue;
    }
    const atKey = target.unanchored(m.norm);
    if (atKey) {
      claim(claims, atKey, m);
      via[m.row] = BY_KEY;
      continue;
    }
    let found = false;
    for (let k = 0; k < config.keys.length && !found; k++) {
      const key = config.keys[k] as CorrelationKey;
      const hit = target.candidates(k, columns.values(key.attribute, m.row));
      if (hit === undefined) continue;
      found = true;
      if (Array.isArray(hit)) {
        leaveOut(m, {
          field: key.attribute,
          rule: "correlation-ambiguous",
          reason: `${hit.length} target entries match by ${key.attribute}; link the right one by hand or fix the data`,
          candidates: keysOf(hit),
        });
      } else if (hit.anchor !== undefined) {
        leaveOut(m, {
          field: key.attribute,
          rule: "correlation-conflict",
          reason: `the only entry matching by ${key.attribute} carries the ${config.anchor} of another person`,
          candidates: [hit.key],
        });
      } else {
        claim(claims, hit, m);
        via[m.row] = k + 1;
      }
    }
    if (!found) counts.new++;
  }

  for (const [record, claimants] of claims) {
    if (!Array.isArray(claimants)) {
      const m = claimants;
      const slot = via[m.row] as number;
      const key = config.keys[slot - 1];
      target.link(m.anchor, record, slot === BY_KEY ? undefined : key?.attribute);
      counts.linked++;
      if (slot !== BY_KEY && key && key.confidence < config.reviewBelow) {
        review.push({
          record: m.ref,
          field: key.attribute,
          rule: "correlation-weak",
          reason: `linked by ${key.attribute} with confidence ${key.confidence}; check that it is the same person`,
          severity: "warning",
          candidates: [record.key],
        });
      }
      continue;
    }
    for (const m of claimants) {
      const others = claimants.filter((o) => o !== m).map((o) => o.ref);
      const slot = via[m.row] as number;
      leaveOut(m, {
        field: slot === BY_KEY ? "key" : (config.keys[slot - 1] as CorrelationKey).attribute,
        rule: "correlation-conflict",
        reason: `the entry also matches ${others.join(", ")}`,
        candidates: [record.key],
      });
    }
  }
  return counts;
}

function claim(
  claims: Map<TargetRecord, MappedPerson | MappedPerson[]>,
  record: TargetRecord,
  m: MappedPerson,
) {
  const held = claims.get(record);
  if (held === undefined) claims.set(record, m);
  else if (Array.isArray(held)) held.push(m);
  else claims.set(record, [held, m]);
}

function keysOf(records: readonly TargetRecord[]): string[] {
  return records.map((r) => r.key).sort();
}
