import { formatDn, parseDn } from "../../src/model/dn.js";

/**
 * Tree keys: a DN's RDNs in the normal form of `normalizeDn`, from the root down, joined by NUL.
 * Two DNs have the same tree key exactly when they have the same normal form, and comparing
 * tree keys as strings puts every parent before its children and siblings by normalized DN
 * (the canonical order). A formatted RDN holds no NUL before its `=`, so keys never collide.
 */

const SEP = "\0";

/** Character classes of a plain DN: 1 may appear in an attribute type, 2 in a value. */
const CLASS = new Uint8Array(128);
for (let c = 0x20; c < 0x7f; c++) CLASS[c] = 2;
for (const c of ',+"\\<>;=') CLASS[c.charCodeAt(0)] = 0;
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9.-]/.test(ch)) CLASS[c] = 3;
}

/**
 * The tree key of a plain DN (printable ASCII, no character that `escapeDnValue` escapes, no
 * spaces around separators, no empty value), whose normal form is just its lower case; null
 * for any other DN.
 */
function plainTreeKey(dn: string): string | null {
  const n = dn.length;
  let inType = true;
  let start = 0;
  for (let i = 0; i < n; i++) {
    const c = dn.charCodeAt(i);
    if (inType) {
      if (c === 61) {
        if (i === start) return null;
        inType = false;
        start = i + 1;
      } else if (c > 127 || ((CLASS[c] as number) & 1) === 0) return null;
    } else if (c === 44) {
      if (i === start || dn.charCodeAt(i - 1) === 32) return null;
      inType = true;
      start = i + 1;
    } else if (c > 127 || ((CLASS[c] as number) & 2) === 0 || (i === start && (c === 32 || c === 35)))
      return null;
  }
  if (inType || start === n || dn.charCodeAt(n - 1) === 32) return null;
  const rdns = dn.toLowerCase().split(",");
  return rdns.length === 1 ? (rdns[0] as string) : rdns.reverse().join(SEP);
}

/**
 * The tree key of `dn`. Throws a TypeError when `dn` is not a valid DN (as `parseDn` does).
 * @example treeKey("uid=Piet,ou=People,dc=nl") // "dc=nl\0ou=people\0uid=piet"
 */
export function treeKey(dn: string): string {
  const plain = plainTreeKey(dn);
  if (plain !== null) return plain;
  const rdns = parseDn(dn);
  const parts: string[] = [];
  for (let i = rdns.length - 1; i >= 0; i--) {
    const rdn = (rdns[i] as ReturnType<typeof parseDn>[number]).map((p) => ({
      type: p.type.toLowerCase(),
      value: p.value.toLowerCase(),
    }));
    parts.push(formatDn([rdn]));
  }
  return parts.join(SEP);
}

/** The tree key of the parent: everything before the last RDN, "" for a top-level entry. */
export function parentTreeKey(key: string): string {
  const at = key.lastIndexOf(SEP);
  return at === -1 ? "" : key.slice(0, at);
}
