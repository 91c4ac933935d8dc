import { formatLdifRecord } from "./format.js";
import type { LdifEntry } from "./record.js";
import { treeKey } from "./tree-key.js";

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Entries in canonical order: every parent before its children (so `ldapadd` can load the file),
 * siblings by normalized DN.
 */
export function canonicalOrder<E extends LdifEntry>(entries: Iterable<E>): E[] {
  return [...entries]
    .map((entry) => ({ entry, key: treeKey(entry.dn) }))
    .sort((a, b) => compareStrings(a.key, b.key))
    .map((x) => x.entry);
}

/** Attributes in canonical order: `objectClass` first, then by name case-insensitively; values sorted. */
export function canonicalAttrs(attrs: Record<string, string[]>): Record<string, string[]> {
  const names = Object.keys(attrs)
    .filter((name) => (attrs[name]?.length ?? 0) > 0)
    .map((name) => {
      const lower = name.toLowerCase();
      return { name, lower, rank: lower === "objectclass" ? 0 : 1 };
    })
    .sort((a, b) => a.rank - b.rank || compareStrings(a.lower, b.lower) || compareStrings(a.name, b.name));
  const out: Record<string, string[]> = {};
  for (const { name } of names) {
    const values = attrs[name] as string[];
    out[name] = values.length > 1 ? [...values].sort(compareStrings) : [...values];
  }
  return out;
}

/**
 * The canonical LDIF text of a set of entries, in pieces to write one after the other: the same
 * entries always give the same bytes, whatever order they were given in.
 */
export function* formatCanonicalLdif(entries: Iterable<LdifEntry>): Generator<string> {
  yield "version: 1\n\n";
  for (const entry of canonicalOrder(entries)) {
    yield formatLdifRecord({ kind: "content", dn: entry.dn, attrs: canonicalAttrs(entry.attrs) });
  }
}
