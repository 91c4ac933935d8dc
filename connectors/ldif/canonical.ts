import { formatDn, normalizeDn, parseDn } from "../../src/model/dn.js";
import { formatLdifRecord } from "./format.js";
import type { LdifEntry } from "./record.js";

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The RDNs of a DN in normal form, from the root down: the sort key of the canonical order. */
function treeKey(dn: string): string[] {
  return parseDn(normalizeDn(dn))
    .reverse()
    .map((rdn) => formatDn([rdn]));
}

function compareTreeKeys(a: string[], b: string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareStrings(a[i] as string, b[i] as string);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/**
 * Entries in canonical order: every parent before its children (so `ldapadd` can load the file),
 * siblings by normalized DN.
 */
export function canonicalOrder<E extends LdifEntry>(entries: Iterable<E>): E[] {
  return [...entries]
    .map((entry) => ({ entry, key: treeKey(entry.dn) }))
    .sort((a, b) => compareTreeKeys(a.key, b.key))
    .map((x) => x.entry);
}

/** Attributes in canonical order: `objectClass` first, then by name case-insensitively; values sorted. */
export function canonicalAttrs(attrs: Record<string, string[]>): Record<string, string[]> {
  const rank = (name: string) => (name.toLowerCase() === "objectclass" ? 0 : 1);
  const names = Object.keys(attrs)
    .filter((name) => (attrs[name]?.length ?? 0) > 0)
    .sort(
      (a, b) => rank(a) - rank(b) || compareStrings(a.toLowerCase(), b.toLowerCase()) || compareStrings(a, b),
    );
  const out: Record<string, string[]> = {};
  for (const name of names) out[name] = [...(attrs[name] ?? [])].sort(compareStrings);
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
