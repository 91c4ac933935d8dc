import { IdentifierRegistry, type IdentifierRequest } from "../mapping/identifiers.js";
import { formatDn, parseDn } from "../model/dn.js";
import type { ReviewItem } from "../model/review.js";
import type { ValueStore } from "../state/store.js";
import { normKey } from "./keys.js";
import type { AttributeColumns, MappedPerson } from "./mapped-person.js";
import type { TargetIndex } from "./target-index.js";

/**
 * Issues each identifier attribute (uid, ePPN) once per person and keeps it: a value issued on an
 * earlier run wins over what today's source data would give, and collisions get numbered
 * alternatives in a stable order. When the identifier is also the key's first RDN, the key
 * follows it. `attributes` must be the identifier list the target index was read with.
 */
export async function assignIdentifiers(
  mapped: readonly MappedPerson[],
  columns: AttributeColumns,
  review: ReviewItem[],
  attributes: readonly string[],
  store: ValueStore,
  target: TargetIndex,
): Promise<void> {
  for (let i = 0; i < attributes.length; i++) {
    const attr = attributes[i] as string;
    // Sized for everyone up front (a million-element array grown step by step is copied often).
    const requests = new Array<IdentifierRequest>(mapped.length);
    // The person of each request, by position: no map of a million references.
    const asking = new Array<MappedPerson>(mapped.length);
    let n = 0;
    for (const m of mapped) {
      const candidate = columns.first(attr, m.row);
      if (candidate === undefined) continue;
      const current = target.linkedPerson(m)?.ids[i];
      requests[n] = current === undefined ? { ref: m.ref, candidate } : { ref: m.ref, candidate, current };
      asking[n++] = m;
    }
    requests.length = n;
    asking.length = n;
    if (requests.length === 0) continue;
    const registry = new IdentifierRegistry(store, { namespace: attr, takenLowerCased: target.taken[i] });
    // One request per mapped person: their references are distinct.
    const assignment = await registry.assign(requests, { distinct: true });
    review.push(...assignment.review);
    const refused = new Set(assignment.review.filter((r) => r.severity === "error").map((r) => r.record));
    for (let r = 0; r < asking.length; r++) {
      const m = asking[r] as MappedPerson;
      if (refused.size > 0 && refused.has(m.ref)) m.dropped = true;
      const value = assignment.values[r];
      const candidate = (requests[r] as IdentifierRequest).candidate;
      if (value === undefined || value === candidate) continue;
      const values = [value, ...columns.values(attr, m.row).slice(1)];
      m.patch(attr, values);
      columns.set(attr, m.row, values);
      const rdns = parseDn(m.key);
      const first = rdns[0]?.[0];
      if (first && first.type.toLowerCase() === attr.toLowerCase() && first.value === candidate) {
        first.value = value;
        m.key = formatDn(rdns);
        m.norm = normKey(m.key);
        m.link = undefined;
      }
    }
    await registry.commit(assignment);
    requests.length = 0;
    asking.length = 0;
  }
}
