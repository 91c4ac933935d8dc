import { hash } from "node:crypto";
import { normalizeDn, parseDn, type RdnPart } from "../model/dn.js";

const RDN = String.raw`[^\\"+;,=]*[^\\"+;,=\s][^\\"+;,=]*=[^\\"+;,=]*`;
const SIMPLE_DN = new RegExp(`^${RDN}(?:,${RDN})*$`);

/**
 * Normal form of a target key for lookups: the DN normal form, with a fast path for the common
 * DN without escapes or quotes; lower case for keys that are not DNs.
 *
 * @example
 * normKey("UID=Jan , ou=People,dc=x") // "uid=jan,ou=people,dc=x"
 */
export function normKey(key: string): string {
  if (isPlainDn(key)) return key.toLowerCase();
  try {
    return normalizeDn(key);
  } catch {
    return key.toLowerCase();
  }
}

/**
 * True for a DN whose normal form is its lower case: printable ASCII, every RDN `type=value`, no
 * character that needs the parser (`\ " + ; #`), no space at either end or next to a `,` or `=`. One pass
 * over the characters (most keys are such DNs; splitting and trimming them costs more; docs/performance.md).
 */
function isPlainDn(key: string): boolean {
  const n = key.length;
  let partStart = 0;
  let sawEq = false;
  for (let i = 0; i < n; i++) {
    const c = key.charCodeAt(i);
    if (c < 32 || c > 126 || c === 92 || c === 34 || c === 43 || c === 59 || c === 35) return false;
    if (c === 32) {
      if (i === 0 || i === n - 1) return false;
      const prev = key.charCodeAt(i - 1);
      const next = key.charCodeAt(i + 1);
      if (prev === 44 || prev === 61 || next === 44 || next === 61) return false;
    } else if (c === 61) {
      if (!sawEq && i === partStart) return false;
      sawEq = true;
    } else if (c === 44) {
      if (!sawEq) return false;
      partStart = i + 1;
      sawEq = false;
    }
  }
  return sawEq;
}

/**
 * The first RDN of a DN, as `parseDn(dn)[0]` gives it (throws a TypeError on a malformed DN),
 * without parsing the whole DN when it has no escapes, quotes or multi-valued RDNs.
 *
 * @example
 * firstRdn("uid=jan,ou=people,dc=x") // [{ type: "uid", value: "jan" }]
 */
export function firstRdn(dn: string): RdnPart[] | undefined {
  if (!SIMPLE_DN.test(dn)) return parseDn(dn)[0];
  const eq = dn.indexOf("=");
  const comma = dn.indexOf(",");
  const value = dn.slice(eq + 1, comma < 0 ? dn.length : comma);
  return [{ type: dn.slice(0, eq).trim(), value: value.replace(/^ +/, "").trimEnd() }];
}

/**
 * The anchor value for a source reference: opaque, stable, never reassigned (eduPersonUniqueId form).
 *
 * @example
 * anchorFor("las:1001", "school.nl") // "3f2a…@school.nl"
 */
export function anchorFor(ref: string, scope: string): string {
  // `join` makes one flat string; a template literal would hold the whole digest and a tree.
  return [hash("sha256", ref, "hex").slice(0, 32), scope].join("@");
}
