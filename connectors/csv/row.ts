import { type Person, type PersonInput, PersonSchema } from "../../src/model/person.js";
import type { CsvSourceConfig } from "./config.js";
import type { ColumnIndex } from "./header.js";

/** Why a row was left out: the column (header name) and the reason. Never carries a value. */
export interface RowProblem {
  field?: string;
  reason: string;
}

/** The first C0/C1 control character (or DEL) in `value`, or -1. */
function firstControl(value: string): number {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return c;
  }
  return -1;
}
const BOOLEANS = new Map([
  ["true", true],
  ["false", false],
  ["ja", true],
  ["nee", false],
  ["j", true],
  ["n", false],
  ["yes", true],
  ["no", false],
  ["1", true],
  ["0", false],
]);

function checkText(value: string, header: string, encoding: string): RowProblem | null {
  if (value.includes("\ufffd")) {
    const hint = encoding === "utf-8" ? " (is the file Windows-1252? then set encoding: windows-1252)" : "";
    return { field: header, reason: `invalid UTF-8 (or U+FFFD) in column "${header}"${hint}` };
  }
  const control = firstControl(value);
  if (control !== -1) {
    const code = control.toString(16).toUpperCase().padStart(4, "0");
    return { field: header, reason: `control character U+${code} in column "${header}"` };
  }
  return null;
}

/**
 * Turns one CSV row into a Person of source `source`, or says which column is wrong.
 * Values are trimmed; an empty value counts as absent (the constant applies, if any).
 */
export function rowToPerson(
  fields: string[],
  index: ColumnIndex,
  config: CsvSourceConfig,
  source: string,
): { person: Person; group: string | null } | RowProblem {
  if (fields.length !== index.width) {
    return { reason: `expected ${index.width} fields (as in the header), found ${fields.length}` };
  }
  const values = new Map<string, string>();
  for (const c of index.columns) {
    const value = (fields[c.index] as string).trim();
    const problem = checkText(value, c.header, config.encoding);
    if (problem) return problem;
    if (value !== "") values.set(c.field, value);
  }
  const ext: Record<string, string> = {};
  for (const e of index.ext) {
    const value = (fields[e.index] as string).trim();
    const problem = checkText(value, e.header, config.encoding);
    if (problem) return problem;
    if (value !== "") ext[e.key] = value;
  }
  let group: string | null = null;
  if (index.group) {
    const value = (fields[index.group.index] as string).trim();
    const problem = checkText(value, index.group.header, config.encoding);
    if (problem) return problem;
    if (value !== "") group = value;
  }
  const id = values.get("id");
  if (id === undefined)
    return { field: config.columns.id, reason: `empty id (column "${config.columns.id}")` };

  const { roles: constRoles, enabled: constEnabled, ...constText } = config.constants;
  const input: PersonInput = { source, id, ext, ...constText, roles: constRoles ?? [] };
  for (const [field, value] of values) {
    if (field === "id") continue;
    if (field === "enabled") {
      const flag = BOOLEANS.get(value.toLowerCase());
      if (flag === undefined) {
        return {
          field: config.columns.enabled,
          reason: `column "${config.columns.enabled}" must be true/false, ja/nee or 1/0`,
        };
      }
      input.enabled = flag;
    } else if (field === "roles") {
      input.roles = value
        .split("|")
        .map((r) => r.trim())
        .filter(Boolean);
    } else (input as Record<string, unknown>)[field] = value;
  }
  if (input.enabled === undefined && constEnabled !== undefined) input.enabled = constEnabled;
  const parsed = PersonSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? "");
    const header = index.columns.find((c) => c.field === field)?.header ?? field;
    return { field: header, reason: `${header}: ${issue?.message ?? "invalid"}` };
  }
  return { person: parsed.data, group };
}
