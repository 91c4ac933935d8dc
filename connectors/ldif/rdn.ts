import { parseDn } from "../../src/model/dn.js";

/**
 * Splits a DN's text at its first unescaped, unquoted `,` (or `;`): the first RDN and the parent
 * DN, both exactly as written. `uid=a\,b,ou=x` → `["uid=a\,b", "ou=x"]`; a one-RDN DN has parent "".
 */
export function splitFirstRdn(dn: string): [string, string] {
  let quoted = false;
  for (let i = 0; i < dn.length; i++) {
    const ch = dn[i];
    if (ch === "\\") i += 1;
    else if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "," || ch === ";")) return [dn.slice(0, i).trim(), dn.slice(i + 1).trim()];
  }
  return [dn.trim(), ""];
}

/** The DN a modrdn produces: the new RDN under the new superior, or under the old parent. */
export function movedDn(oldDn: string, newRdn: string, newSuperior?: string): string {
  const parent = newSuperior ?? splitFirstRdn(oldDn)[1];
  return parent === "" ? newRdn : `${newRdn},${parent}`;
}

/**
 * The attributes after a modrdn with `deleteoldrdn: 1`, as a directory server computes them:
 * the old RDN's values removed, the new RDN's values added (names and values compared
 * case-insensitively).
 */
export function withNewRdn(
  attrs: Record<string, string[]>,
  oldDn: string,
  newRdn: string,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(attrs)) out[k] = [...v];
  const find = (type: string) => Object.keys(out).find((k) => k.toLowerCase() === type.toLowerCase());
  for (const part of parseDn(oldDn)[0] ?? []) {
    const name = find(part.type);
    if (!name) continue;
    const kept = (out[name] ?? []).filter((v) => v.toLowerCase() !== part.value.toLowerCase());
    if (kept.length) out[name] = kept;
    else delete out[name];
  }
  for (const part of parseDn(newRdn)[0] ?? []) {
    const name = find(part.type) ?? part.type;
    const values = out[name] ?? [];
    if (!values.some((v) => v.toLowerCase() === part.value.toLowerCase())) values.push(part.value);
    out[name] = values;
  }
  return out;
}
