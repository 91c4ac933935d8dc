import { parseDn, type RdnPart } from "../../src/model/dn.js";

const HEX_ESCAPED = new Set([",", "+", '"', "\\", "<", ">", ";", "=", "\0"]);

function hexEscape(value: string): string {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    const edge = (ch === " " && (i === 0 || i === value.length - 1)) || (ch === "#" && i === 0);
    out +=
      HEX_ESCAPED.has(ch) || edge ? `\\${ch.charCodeAt(0).toString(16).padStart(2, "0").toUpperCase()}` : ch;
  }
  return out;
}

function formatRdn(rdn: RdnPart[]): string {
  return rdn.map((p) => `${p.type}=${hexEscape(p.value)}`).join("+");
}

/**
 * The `newDN` argument for ldapts' `modifyDN`: the new RDN with every special character
 * hex-escaped (ldapts splits RDN and new superior at the first comma not preceded by a
 * backslash, which a value ending in `\` would defeat), followed by the new parent only when
 * the entry moves.
 * @example modifyDnTarget("uid=a,ou=people,dc=x", "uid=a,ou=disabled,dc=x") // "uid=a,ou=disabled,dc=x"
 */
export function modifyDnTarget(newDn: string, moves: boolean): string {
  const rdns = parseDn(newDn);
  const rdn = formatRdn(rdns[0] ?? []);
  if (!moves) return rdn;
  return [rdn, ...rdns.slice(1).map(formatRdn)].join(",");
}
