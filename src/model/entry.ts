import { createHash } from "node:crypto";
import type { AttrChange, Operation } from "./operation.js";
import type { TargetEntry } from "./target-entry.js";

/** Finds the attribute name in `attrs` that equals `name` case-insensitively. */
export function attrName(attrs: Record<string, string[]>, name: string): string | undefined {
  if (name in attrs) return name;
  let lower: string | undefined;
  for (const k in attrs) {
    if (k.length !== name.length || !Object.hasOwn(attrs, k)) continue;
    lower ??= name.toLowerCase();
    if (k.toLowerCase() === lower) return k;
  }
  return undefined;
}

/** The values of an attribute (case-insensitive name), or an empty list. */
export function attrValues(attrs: Record<string, string[]>, name: string): string[] {
  const key = attrName(attrs, name);
  return key === undefined ? [] : (attrs[key] ?? []);
}

/**
 * A stable hash of an entry's content: key, type, attribute names lower-cased and sorted,
 * values sorted. Two reads of an unchanged object give the same fingerprint.
 */
export function fingerprint(entry: TargetEntry | null): string | null {
  if (entry === null) return null;
  const names = Object.keys(entry.attrs)
    .filter((k) => (entry.attrs[k]?.length ?? 0) > 0)
    .map((k) => [k.toLowerCase(), k] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let text = `${entry.type}\0${entry.key.toLowerCase()}`;
  for (const [lower, name] of names) {
    const values = entry.attrs[name] as string[];
    text += `\x01${lower}\x02${(values.length > 1 ? [...values].sort() : values).join("\x02")}`;
  }
  return createHash("sha256").update(text).digest("base64url").slice(0, 32);
}

/**
 * True when `a` and `b` are the same entry to the letter: key, type, attribute names and
 * values in the same order. Stricter than {@link sameEntry}, which ignores order and key case.
 */
export function identicalEntry(a: TargetEntry | null, b: TargetEntry | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.key !== b.key || a.type !== b.type) return false;
  const names = Object.keys(a.attrs);
  const other = Object.keys(b.attrs);
  if (names.length !== other.length) return false;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (name !== other[i]) return false;
    const x = a.attrs[name] as string[];
    const y = b.attrs[name] as string[];
    if (x.length !== y.length) return false;
    for (let j = 0; j < x.length; j++) if (x[j] !== y[j]) return false;
  }
  return true;
}

/**
 * Applies value-level changes to a copy of `attrs`, idempotently: adding a present value or
 * removing an absent one changes nothing. Empty attributes are dropped.
 */
export function applyChanges(
  attrs: Record<string, string[]>,
  changes: AttrChange[],
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(attrs)) out[k] = [...v];
  for (const c of changes) {
    const name = attrName(out, c.attr) ?? c.attr;
    let values = out[name] ?? [];
    if (c.replace !== undefined) values = [...c.replace];
    if (c.remove?.length) {
      const drop = new Set(c.remove);
      values = values.filter((v) => !drop.has(v));
    }
    if (c.add?.length) {
      const have = new Set(values);
      for (const v of c.add) {
        if (!have.has(v)) {
          values.push(v);
          have.add(v);
        }
      }
    }
    if (values.length === 0) delete out[name];
    else out[name] = values;
  }
  return out;
}

/**
 * What the target object should look like after `op`, given what it looks like now
 * (`current`, null when absent). Used by in-memory targets and by tests as the reference
 * semantics every connector must match.
 */
export function expectedAfter(op: Operation, current: TargetEntry | null): TargetEntry | null {
  switch (op.kind) {
    case "create":
      return { key: op.key, type: op.type, attrs: applyChanges({}, attrsToChanges(op.attrs ?? {})) };
    case "delete":
      return null;
    case "rename": {
      const base = current ?? null;
      if (!base) return null;
      return { key: op.newKey ?? op.key, type: op.type, attrs: applyChanges(base.attrs, op.changes ?? []) };
    }
    default:
      if (!current) return null;
      return { key: current.key, type: current.type, attrs: applyChanges(current.attrs, op.changes ?? []) };
  }
}

function attrsToChanges(attrs: Record<string, string[]>): AttrChange[] {
  return Object.entries(attrs).map(([attr, values]) => ({ attr, replace: values }));
}

/** True when two entries have the same key (case-insensitive), type and content. */
export function sameEntry(a: TargetEntry | null, b: TargetEntry | null): boolean {
  return fingerprint(a) === fingerprint(b);
}
