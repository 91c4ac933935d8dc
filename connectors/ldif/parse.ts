import { OverstapError } from "../../src/errors.js";
import type { LdifModification, LdifRecord } from "./record.js";

/** Options of the LDIF parser. */
export interface ParseLdifOptions {
  /** Named in error messages, e.g. the file path. */
  source?: string;
}

interface LogicalLine {
  text: string;
  line: number;
}

interface Field {
  name: string;
  value: string;
  line: number;
}

const ATTRIBUTE_DESCRIPTION = /^(?:[A-Za-z][A-Za-z0-9-]*|[0-9]+(?:\.[0-9]+)*)(?:;[A-Za-z0-9-]+)*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Parses LDIF from a stream of bytes or strings, yielding one record at a time, so a file of any
 * size is read in constant memory. Errors are OverstapErrors (`TARGET_INVALID`) naming the line.
 *
 * @example
 * for await (const record of parseLdif(createReadStream("directory.ldif"), { source: "directory.ldif" })) …
 */
export async function* parseLdif(
  input: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  options: ParseLdifOptions = {},
): AsyncGenerator<LdifRecord> {
  const parser = new LdifParser(options.source ?? "LDIF");
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of input) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk);
    let buf = carry.length ? Buffer.concat([carry, bytes]) : bytes;
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
      const record = parser.push(buf.subarray(start, nl));
      if (record) yield record;
      start = nl + 1;
    }
    buf = buf.subarray(start);
    carry = Buffer.from(buf);
  }
  if (carry.length) {
    const record = parser.push(carry);
    if (record) yield record;
  }
  const last = parser.end();
  if (last) yield last;
}

/** Parses a whole LDIF text at once (small inputs and tests). */
export function parseLdifText(text: string, options: ParseLdifOptions = {}): LdifRecord[] {
  const parser = new LdifParser(options.source ?? "LDIF");
  const out: LdifRecord[] = [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  for (const line of lines) {
    const record = parser.push(Buffer.from(line, "utf8"));
    if (record) out.push(record);
  }
  const last = parser.end();
  if (last) out.push(last);
  return out;
}

class LdifParser {
  readonly #source: string;
  #lineNo = 0;
  #current: LogicalLine | null = null;
  #lines: LogicalLine[] = [];
  #first = true;

  constructor(source: string) {
    this.#source = source;
  }

  push(raw: Uint8Array): LdifRecord | null {
    this.#lineNo += 1;
    let text: string;
    try {
      text = utf8.decode(raw);
    } catch (err) {
      throw this.#error(this.#lineNo, "the line is not valid UTF-8", { cause: err });
    }
    if (text.endsWith("\r")) text = text.slice(0, -1);
    if (text.startsWith(" ")) {
      if (!this.#current)
        throw this.#error(this.#lineNo, "a continuation line (starting with a space) follows no line");
      this.#current.text += text.slice(1);
      return null;
    }
    this.#endLogical();
    if (text === "") return this.#endRecord();
    this.#current = { text, line: this.#lineNo };
    return null;
  }

  end(): LdifRecord | null {
    this.#endLogical();
    return this.#endRecord();
  }

  #endLogical(): void {
    if (this.#current && !this.#current.text.startsWith("#")) this.#lines.push(this.#current);
    this.#current = null;
  }

  #endRecord(): LdifRecord | null {
    let lines = this.#lines;
    this.#lines = [];
    if (this.#first && lines.length) {
      this.#first = false;
      const head = lines[0] as LogicalLine;
      if (/^version:/i.test(head.text)) {
        const field = this.#field(head);
        if (field.value.trim() !== "1")
          throw this.#error(head.line, `unsupported LDIF version "${field.value}"`);
        lines = lines.slice(1);
      }
    }
    if (!lines.length) return null;
    return this.#record(lines.map((l) => this.#field(l)));
  }

  #record(fields: Field[]): LdifRecord {
    const [dnField, ...rest] = fields as [Field, ...Field[]];
    if (dnField.name.toLowerCase() !== "dn") {
      throw this.#error(dnField.line, `expected "dn:" to start a record, found "${dnField.name}:"`);
    }
    const dn = dnField.value;
    const line = dnField.line;
    const next = rest[0];
    if (next && next.name.toLowerCase() === "control") {
      throw this.#error(next.line, "LDIF controls are not supported", { hint: "Remove the control: line." });
    }
    if (next?.name.toLowerCase() !== "changetype")
      return { kind: "content", dn, attrs: this.#attrs(rest), line };
    const body = rest.slice(1);
    switch (next.value.toLowerCase()) {
      case "add":
        return { kind: "add", dn, attrs: this.#attrs(body), line };
      case "delete":
        if (body[0]) throw this.#error(body[0].line, `unexpected "${body[0].name}:" in a delete record`);
        return { kind: "delete", dn, line };
      case "modify":
        return { kind: "modify", dn, mods: this.#mods(body), line };
      case "modrdn":
      case "moddn":
        return this.#modrdn(dn, body, line);
      default:
        throw this.#error(next.line, `unknown changetype "${next.value}"`, {
          hint: "Use add, delete, modify or modrdn.",
        });
    }
  }

  #attrs(fields: Field[]): Record<string, string[]> {
    const attrs: Record<string, string[]> = {};
    const names = new Map<string, string>();
    for (const f of fields) {
      this.#checkName(f);
      const lower = f.name.toLowerCase();
      const name = names.get(lower) ?? f.name;
      names.set(lower, name);
      const values = attrs[name] ?? [];
      if (!values.includes(f.value)) values.push(f.value);
      attrs[name] = values;
    }
    return attrs;
  }

  #mods(fields: Field[]): LdifModification[] {
    const mods: LdifModification[] = [];
    let open: LdifModification | null = null;
    for (const f of fields) {
      if (!open) {
        const op = f.name.toLowerCase();
        if (op !== "add" && op !== "delete" && op !== "replace") {
          throw this.#error(
            f.line,
            `expected "add:", "delete:" or "replace:" in a modify record, found "${f.name}:"`,
          );
        }
        const attr = f.value.trim();
        this.#checkName({ ...f, name: attr });
        open = { op, attr, values: [] };
        continue;
      }
      if (f.name === "-") {
        mods.push(open);
        open = null;
        continue;
      }
      if (f.name.toLowerCase() !== open.attr.toLowerCase()) {
        throw this.#error(
          f.line,
          `"${f.name}:" inside the "${open.op}: ${open.attr}" block; end the block with "-"`,
        );
      }
      open.values.push(f.value);
    }
    if (open) mods.push(open);
    return mods;
  }

  #modrdn(dn: string, fields: Field[], line: number): LdifRecord {
    let newRdn: string | undefined;
    let deleteOldRdn: boolean | undefined;
    let newSuperior: string | undefined;
    for (const f of fields) {
      const name = f.name.toLowerCase();
      if (name === "newrdn" && newRdn === undefined) newRdn = f.value;
      else if (name === "deleteoldrdn" && deleteOldRdn === undefined) {
        if (f.value !== "0" && f.value !== "1")
          throw this.#error(f.line, `deleteoldrdn must be 0 or 1, found "${f.value}"`);
        deleteOldRdn = f.value === "1";
      } else if (name === "newsuperior" && newSuperior === undefined) newSuperior = f.value;
      else throw this.#error(f.line, `unexpected "${f.name}:" in a modrdn record`);
    }
    if (newRdn === undefined || deleteOldRdn === undefined) {
      throw this.#error(line, "a modrdn record needs newrdn: and deleteoldrdn:");
    }
    return newSuperior === undefined
      ? { kind: "modrdn", dn, newRdn, deleteOldRdn, line }
      : { kind: "modrdn", dn, newRdn, deleteOldRdn, newSuperior, line };
  }

  #field(l: LogicalLine): Field {
    if (l.text === "-") return { name: "-", value: "", line: l.line };
    const colon = l.text.indexOf(":");
    if (colon <= 0) throw this.#error(l.line, 'expected "name: value" (the colon is missing)');
    const name = l.text.slice(0, colon);
    const marker = l.text[colon + 1];
    if (marker === "<") {
      throw this.#error(l.line, `"${name}:<" takes its value from a URL, which is not supported`, {
        hint: 'Inline the value, base64-encoded after "::" if needed.',
      });
    }
    if (marker === ":") {
      const encoded = l.text.slice(colon + 2).trim();
      if (!BASE64.test(encoded)) throw this.#error(l.line, `the base64 value of "${name}" is malformed`);
      try {
        return { name, value: utf8.decode(Buffer.from(encoded, "base64")), line: l.line };
      } catch (err) {
        throw this.#error(
          l.line,
          `the value of "${name}" is not UTF-8 text (binary values are not supported)`,
          { cause: err },
        );
      }
    }
    return { name, value: l.text.slice(colon + 1).replace(/^ +/, ""), line: l.line };
  }

  #checkName(f: Field): void {
    if (!ATTRIBUTE_DESCRIPTION.test(f.name))
      throw this.#error(f.line, `"${f.name}" is not a valid attribute name`);
  }

  #error(line: number, message: string, extra: { hint?: string; cause?: unknown } = {}): OverstapError {
    return new OverstapError("TARGET_INVALID", `${this.#source}:${line}: ${message}`, {
      cause: extra.cause,
      hint: extra.hint ?? "Fix the LDIF at that line (RFC 2849).",
      details: { line },
    });
  }
}
