import { hash } from "node:crypto";
import { normalizeDn, parseDn, type RdnPart } from "../model/dn.js";

const NEEDS_PARSER = /[\\"+;]/;
const EDGE_OR_HASH = /[#]|^ | $/;
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
  if (!NEEDS_PARSER.test(key)) {
    const parts = key.split(",");
    let simple = true;
    for (let i = 0; i < parts.length && simple; i++) {
      const part = parts[i] as string;
      const eq = part.indexOf("=");
      if (eq <= 0) simple = false;
      else parts[i] = `${part.slice(0, eq).trim()}=${part.slice(eq + 1).trim()}`;
    }
    if (simple && !EDGE_OR_HASH.test(key)) return parts.join(",").toLowerCase();
  }
  try {
    return normalizeDn(key);
  } catch {
    return key.toLowerCase();
  }
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
