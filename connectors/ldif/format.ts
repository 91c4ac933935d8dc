import type { LdifRecord } from "./record.js";

/** The column at which LDIF lines are folded. */
export const LDIF_LINE_WIDTH = 76;

/**
 * True when a value must be written base64-encoded (RFC 2849 SAFE-STRING rules): it starts with
 * a space, `:` or `<`, ends with a space, or contains NUL, CR, LF or any non-ASCII character.
 */
export function needsBase64(value: string): boolean {
  if (value === "") return false;
  const first = value.charCodeAt(0);
  if (first === 0x20 || first === 0x3a || first === 0x3c) return true;
  if (value.charCodeAt(value.length - 1) === 0x20) return true;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0 || c === 0x0a || c === 0x0d || c > 0x7f) return true;
  }
  return false;
}

/** One `name: value` (or `name:: base64`) line, folded at {@link LDIF_LINE_WIDTH} columns. */
export function formatLdifLine(name: string, value: string): string {
  const line = needsBase64(value)
    ? `${name}:: ${Buffer.from(value, "utf8").toString("base64")}`
    : value === ""
      ? `${name}:`
      : `${name}: ${value}`;
  return foldLine(line);
}

/** Folds one logical line: continuation lines start with a space; every physical line ends in LF. */
export function foldLine(line: string): string {
  if (line.length <= LDIF_LINE_WIDTH) return `${line}\n`;
  let out = `${line.slice(0, LDIF_LINE_WIDTH)}\n`;
  for (let i = LDIF_LINE_WIDTH; i < line.length; i += LDIF_LINE_WIDTH - 1) {
    out += ` ${line.slice(i, i + LDIF_LINE_WIDTH - 1)}\n`;
  }
  return out;
}

function formatAttrs(attrs: Record<string, string[]>): string {
  let out = "";
  for (const [name, values] of Object.entries(attrs)) {
    for (const value of values) out += formatLdifLine(name, value);
  }
  return out;
}

/**
 * Serializes one record, ending with the blank line that separates records. Change records
 * come out in the form `ldapmodify` accepts.
 *
 * @example
 * formatLdifRecord({ kind: "delete", dn: "uid=piet,ou=people,dc=school,dc=nl" })
 * // "dn: uid=piet,ou=people,dc=school,dc=nl\nchangetype: delete\n\n"
 */
export function formatLdifRecord(record: LdifRecord): string {
  let out = formatLdifLine("dn", record.dn);
  switch (record.kind) {
    case "content":
      out += formatAttrs(record.attrs);
      break;
    case "add":
      out += `changetype: add\n${formatAttrs(record.attrs)}`;
      break;
    case "delete":
      out += "changetype: delete\n";
      break;
    case "modify":
      out += "changetype: modify\n";
      for (const mod of record.mods) {
        out += `${mod.op}: ${mod.attr}\n`;
        for (const value of mod.values) out += formatLdifLine(mod.attr, value);
        out += "-\n";
      }
      break;
    case "modrdn":
      out += "changetype: modrdn\n";
      out += formatLdifLine("newrdn", record.newRdn);
      out += `deleteoldrdn: ${record.deleteOldRdn ? 1 : 0}\n`;
      if (record.newSuperior !== undefined) out += formatLdifLine("newsuperior", record.newSuperior);
      break;
  }
  return `${out}\n`;
}
