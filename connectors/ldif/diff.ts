import type { AttrChange } from "../../src/model/operation.js";
import type { LdifModification } from "./record.js";

/**
 * The modifications that turn `before` into `after`, one block per changed attribute (names
 * compared case-insensitively): `delete:` of a vanished attribute, `add:` of a new one, `replace:`
 * when no value is kept, otherwise `delete:`/`add:` of just the values that differ (so adding one
 * member to a big group writes one line). Replaying them with {@link modificationsToChanges}
 * gives `after` again.
 */
export function diffAttrs(
  before: Record<string, string[]>,
  after: Record<string, string[]>,
): LdifModification[] {
  const names = new Map<string, { before?: string; after?: string }>();
  for (const name of Object.keys(before)) names.set(name.toLowerCase(), { before: name });
  for (const name of Object.keys(after)) {
    const slot = names.get(name.toLowerCase()) ?? {};
    slot.after = name;
    names.set(name.toLowerCase(), slot);
  }
  const mods: LdifModification[] = [];
  for (const lower of [...names.keys()].sort()) {
    const slot = names.get(lower) as { before?: string; after?: string };
    const b = slot.before === undefined ? [] : (before[slot.before] ?? []);
    const a = slot.after === undefined ? [] : (after[slot.after] ?? []);
    const attr = slot.before ?? slot.after ?? lower;
    const bSet = new Set(b);
    const aSet = new Set(a);
    const removed = b.filter((v) => !aSet.has(v));
    const added = a.filter((v) => !bSet.has(v));
    if (!removed.length && !added.length) continue;
    if (!a.length) mods.push({ op: "delete", attr, values: [] });
    else if (!b.length) mods.push({ op: "add", attr, values: added });
    else if (removed.length === bSet.size) mods.push({ op: "replace", attr, values: [...aSet] });
    else {
      if (removed.length) mods.push({ op: "delete", attr, values: removed });
      if (added.length) mods.push({ op: "add", attr, values: added });
    }
  }
  return mods;
}

/**
 * LDIF modifications as the model's value-level changes, applied idempotently: adding a present
 * value or deleting an absent one changes nothing; `delete:` without values removes the attribute.
 */
export function modificationsToChanges(mods: LdifModification[]): AttrChange[] {
  return mods.map((m) => {
    if (m.op === "add") return { attr: m.attr, add: m.values };
    if (m.op === "replace") return { attr: m.attr, replace: m.values };
    return m.values.length ? { attr: m.attr, remove: m.values } : { attr: m.attr, replace: [] };
  });
}
