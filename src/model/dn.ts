/**
 * Distinguished names (RFC 4514): escaping of attribute values, splitting into RDNs and a
 * normal form for comparison. The planner, the LDIF target and the LDAP target share these,
 * so a value never changes meaning between plan and directory.
 */

const SPECIAL = new Set([",", "+", '"', "\\", "<", ">", ";", "="]);

/** Escapes one RDN attribute value: `Puk, P.` → `Puk\, P.`; leading `#`/space, trailing space, NUL. */
export function escapeDnValue(value: string): string {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    if (SPECIAL.has(ch)) out += `\\${ch}`;
    else if (ch === "\0") out += "\\00";
    else if ((ch === " " && (i === 0 || i === value.length - 1)) || (ch === "#" && i === 0)) out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

/** One RDN component: attribute type and unescaped value. */
export interface RdnPart {
  type: string;
  value: string;
}

/**
 * Splits a DN into RDNs, each a list of `type=value` parts (multi-valued RDNs joined by `+`),
 * with values unescaped. Throws a TypeError on a malformed DN.
 */
export function parseDn(dn: string): RdnPart[][] {
  const rdns: RdnPart[][] = [];
  let parts: RdnPart[] = [];
  let type = "";
  let value = "";
  let inValue = false;
  let quoted = false;
  let kept = 0;
  const bytes: number[] = [];
  const flushBytes = () => {
    if (bytes.length) {
      value += Buffer.from(bytes).toString("utf8");
      kept = value.length;
      bytes.length = 0;
    }
  };
  const endPart = () => {
    flushBytes();
    value = value.slice(0, kept) + value.slice(kept).trimEnd();
    const t = type.trim();
    if (!t || !inValue) throw new TypeError(`malformed DN: ${JSON.stringify(dn)}`);
    parts.push({ type: t, value });
    type = "";
    value = "";
    kept = 0;
    inValue = false;
  };
  for (let i = 0; i < dn.length; i++) {
    const ch = dn[i] as string;
    if (!inValue) {
      if (ch === "=") inValue = true;
      else if (ch === "," || ch === "+") throw new TypeError(`malformed DN: ${JSON.stringify(dn)}`);
      else type += ch;
      continue;
    }
    if (ch === "\\") {
      const next = dn.slice(i + 1, i + 3);
      if (/^[0-9a-fA-F]{2}$/.test(next)) {
        bytes.push(Number.parseInt(next, 16));
        i += 2;
      } else if (i + 1 < dn.length) {
        flushBytes();
        value += dn[i + 1];
        kept = value.length;
        i += 1;
      } else throw new TypeError(`malformed DN: ${JSON.stringify(dn)}`);
      continue;
    }
    flushBytes();
    if (ch === '"') {
      quoted = !quoted;
      continue;
    }
    if (!quoted && (ch === "," || ch === ";")) {
      endPart();
      rdns.push(parts);
      parts = [];
      continue;
    }
    if (!quoted && ch === "+") {
      endPart();
      continue;
    }
    if (ch === " " && value.length === 0 && !quoted) continue;
    value += ch;
    if (quoted) kept = value.length;
  }
  if (type || inValue) {
    endPart();
    rdns.push(parts);
  }
  return rdns;
}

/** Builds a DN from parsed RDNs, escaping values. */
export function formatDn(rdns: RdnPart[][]): string {
  return rdns.map((rdn) => rdn.map((p) => `${p.type}=${escapeDnValue(p.value)}`).join("+")).join(",");
}

/** A normal form for comparing DNs: types lower-cased, values unescaped then re-escaped, spaces around separators removed. */
export function normalizeDn(dn: string): string {
  return formatDn(
    parseDn(dn).map((rdn) => rdn.map((p) => ({ type: p.type.toLowerCase(), value: p.value.toLowerCase() }))),
  );
}

/** The parent DN (everything after the first RDN), or "" for a single-RDN DN. */
export function parentDn(dn: string): string {
  const rdns = parseDn(dn);
  return formatDn(rdns.slice(1));
}
