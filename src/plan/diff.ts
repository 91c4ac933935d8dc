import { attrName } from "../model/entry.js";
import type { AttrChange } from "../model/operation.js";

/** Attributes that are only ever added to, never emptied by a plan. */
const ADD_ONLY = new Set(["objectclass"]);

/**
 * The value-level changes that turn `current` into `desired` for the attributes in `managed`
 * (names compare case-insensitively; attributes outside `managed` are never touched).
 * Single values are replaced (with the old value in `from`); multi-valued attributes get
 * per-value `add`/`remove`, so concurrent additions by others survive.
 */
export function diffAttributes(
  current: Record<string, string[]>,
  desired: Record<string, string[]>,
  managed: Iterable<string>,
): AttrChange[] {
  const changes: AttrChange[] = [];
  const seen = new Set<string>();
  for (const name of managed) {
    const lower = name.toLowerCase();
    if (seen.has(lower)) continue;
    seen.add(lower);
    const want = desired[attrName(desired, name) ?? name] ?? [];
    const curKey = attrName(current, name);
    const have = curKey === undefined ? [] : (current[curKey] ?? []);
    if (sameSet(want, have)) continue;
    const attr = curKey ?? attrName(desired, name) ?? name;
    if (ADD_ONLY.has(lower)) {
      const add = want.filter((v) => !have.some((h) => h.toLowerCase() === v.toLowerCase()));
      if (add.length) changes.push({ attr, add });
      continue;
    }
    if (want.length <= 1 && have.length <= 1) {
      changes.push({ attr, replace: want, from: have });
      continue;
    }
    const haveSet = new Set(have);
    const wantSet = new Set(want);
    const add = want.filter((v) => !haveSet.has(v));
    const remove = have.filter((v) => !wantSet.has(v));
    changes.push({ attr, ...(add.length ? { add } : {}), ...(remove.length ? { remove } : {}) });
  }
  return changes;
}

/**
 * Changes that set every attribute in `names` to exactly its value in `desired`, in order
 * (used by rollback, which restores before-images exactly, value order included).
 */
export function replaceAttributes(
  current: Record<string, string[]>,
  desired: Record<string, string[]>,
): AttrChange[] {
  const changes: AttrChange[] = [];
  const names = new Map<string, string>();
  for (const k of [...Object.keys(desired), ...Object.keys(current)]) {
    if (!names.has(k.toLowerCase())) names.set(k.toLowerCase(), k);
  }
  for (const name of names.values()) {
    const want = desired[attrName(desired, name) ?? name] ?? [];
    const have = current[attrName(current, name) ?? name] ?? [];
    if (want.length === have.length && want.every((v, i) => v === have[i])) continue;
    changes.push({ attr: attrName(desired, name) ?? name, replace: want, from: have });
  }
  return changes;
}

function sameSet(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(b);
  return a.every((v) => s.has(v));
}
