import { applyChanges, attrValues } from "../../src/model/entry.js";
import type { AttrChange } from "../../src/model/operation.js";

/** One LDAP modification: an operation on one attribute with its values. */
export interface Modification {
  operation: "add" | "delete" | "replace";
  attr: string;
  values: string[];
}

function sameSet(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((v) => set.has(v));
}

/**
 * True when adding `add` to `have` and deleting the rest gives exactly `want` in order, and no
 * added value could clash with a deleted one (equal but for case, as caseIgnore rules match).
 */
function valueLevelKeepsOrder(have: string[], want: string[], add: string[], del: string[]): boolean {
  const wanted = new Set(want);
  const result = [...have.filter((v) => wanted.has(v)), ...add];
  if (result.length !== want.length || result.some((v, i) => v !== want[i])) return false;
  const removed = new Set(del.map((v) => v.toLowerCase()));
  return !add.some((v) => removed.has(v.toLowerCase()));
}

/**
 * The smallest set of modifications that turns `current` into what `changes` want, with the
 * semantics of applyChanges: value-level `add`/`delete` of only the values that are missing or
 * present. A replace change is sent as value-level adds and deletes too when that yields the
 * wanted values in their order (the server then keeps the attribute where it is; a `replace`
 * moves it to the end of the entry, so an export after a rollback would differ), else as
 * `replace` (or value-level past `limit` values). Empty when the entry already shows the
 * effect, so re-applying is a no-op.
 * @example modificationsFor({ member: ["a"] }, [{ attr: "member", add: ["a", "b"] }], 1000)
 *   // → [{ operation: "add", attr: "member", values: ["b"] }]
 */
export function modificationsFor(
  current: Record<string, string[]>,
  changes: AttrChange[],
  limit: number,
): Modification[] {
  const byAttr = new Map<string, AttrChange[]>();
  for (const c of changes) {
    const key = c.attr.toLowerCase();
    byAttr.set(key, [...(byAttr.get(key) ?? []), c]);
  }
  const out: Modification[] = [];
  for (const group of byAttr.values()) {
    const attr = (group[0] as AttrChange).attr;
    const have = attrValues(current, attr);
    const want = attrValues(applyChanges({ [attr]: have }, group), attr);
    if (sameSet(have, want)) continue;
    const wanted = new Set(want);
    const present = new Set(have);
    const add = want.filter((v) => !present.has(v));
    const del = have.filter((v) => !wanted.has(v));
    const replaced = group.some((c) => c.replace !== undefined);
    if (replaced && want.length <= limit && !valueLevelKeepsOrder(have, want, add, del)) {
      out.push({ operation: "replace", attr, values: want });
      continue;
    }
    if (add.length) out.push({ operation: "add", attr, values: add });
    if (del.length) out.push({ operation: "delete", attr, values: del });
  }
  return out;
}

const ORDER = { add: 0, replace: 1, delete: 2 } as const;

/**
 * Packs modifications into modify requests of at most `limit` values each (a replace is never
 * split). Adds go first and deletes last, so a required attribute such as `member` never
 * becomes empty between two requests.
 * @example chunkModifications(mods, 1000) // one request per 1000 member values
 */
export function chunkModifications(mods: Modification[], limit: number): Modification[][] {
  const pieces: Modification[] = [];
  for (const m of [...mods].sort((a, b) => ORDER[a.operation] - ORDER[b.operation])) {
    if (m.operation === "replace" || m.values.length <= limit) pieces.push(m);
    else
      for (let i = 0; i < m.values.length; i += limit)
        pieces.push({ ...m, values: m.values.slice(i, i + limit) });
  }
  const requests: Modification[][] = [];
  let current: Modification[] = [];
  let size = 0;
  for (const p of pieces) {
    const n = Math.max(1, p.values.length);
    if (current.length > 0 && size + n > limit) {
      requests.push(current);
      current = [];
      size = 0;
    }
    current.push(p);
    size += n;
  }
  if (current.length > 0) requests.push(current);
  return requests;
}
