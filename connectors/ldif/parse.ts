import { isUtf8 } from "node:buffer";
import { OverstapError } from "../../src/errors.js";
import { needsBase64 } from "./format.js";
import { LineScanner, type RecordLines } from "./lines.js";
import type { LdifModification, LdifRecord, TextForm } from "./record.js";

/** Options of the LDIF parser. */
export interface ParseLdifOptions {
  /** Named in error messages, e.g. the file path. */
  source?: string;
}

/**
 * A content record as the loader of a content file needs it: its DN, objectClass values and
 * text, and how that text is written (canonical text is written back as it is). Every line was
 * validated.
 */
export interface ScannedEntry {
  kind: "entry";
  dn: string;
  line: number;
  objectClass: string[];
  /** The record as written: LDIF that parses back to this entry. */
  text: string;
  form: TextForm;
  /** Where {@link text} starts in the input, in bytes, and how many bytes it takes. */
  offset: number;
  bytes: number;
}

interface Field {
  name: string;
  value: string;
  line: number;
}

type Input = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

const ATTRIBUTE_DESCRIPTION = /^(?:[A-Za-z][A-Za-z0-9-]*|[0-9]+(?:\.[0-9]+)*)(?:;[A-Za-z0-9-]+)*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const VERSION = /^version:/i;
const NAME_CACHE_LIMIT = 1024;
/** Beyond this many values an attribute's duplicates are found with a Set instead of a scan. */
const SCAN_LIMIT = 16;

/**
 * True when the value that starts at `start` of `line` may be written as it is: the same
 * test as `needsBase64` (negated) on a non-empty value, without cutting the value out.
 */
function plainSafe(line: string, start: number): boolean {
  const end = line.length;
  if (start >= end) return false;
  const first = line.charCodeAt(start);
  if (first === 0x20 || first === 0x3a || first === 0x3c || line.charCodeAt(end - 1) === 0x20) return false;
  for (let i = start; i < end; i++) {
    const c = line.charCodeAt(i);
    if (c === 0 || c === 0x0a || c === 0x0d || c > 0x7f) return false;
  }
  return true;
}

const toBuffer = (chunk: Uint8Array | string) =>
  typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;

/**
 * Parses LDIF from a stream of bytes or strings, yielding one record at a time, so a file of any
 * size is read in bounded memory. Errors are OverstapErrors (`TARGET_INVALID`) naming the line.
 *
 * @example
 * for await (const record of parseLdif(createReadStream("directory.ldif"), { source: "directory.ldif" })) …
 */
export async function* parseLdif(input: Input, options: ParseLdifOptions = {}): AsyncGenerator<LdifRecord> {
  const out: LdifRecord[] = [];
  const parser = new LdifParser(options.source ?? "LDIF", (r) => out.push(r));
  const drain = function* (): Generator<LdifRecord> {
    for (let i = 0; i < out.length; i++) yield out[i] as LdifRecord;
    out.length = 0;
  };
  for await (const chunk of input) {
    let failure: unknown = null;
    try {
      parser.pushBytes(toBuffer(chunk));
    } catch (err) {
      failure = err;
    }
    yield* drain();
    if (failure) throw failure;
  }
  let failure: unknown = null;
  try {
    parser.end();
  } catch (err) {
    failure = err;
  }
  yield* drain();
  if (failure) throw failure;
}

/** Parses a whole LDIF text at once (small inputs and tests). */
export function parseLdifText(text: string, options: ParseLdifOptions = {}): LdifRecord[] {
  const out: LdifRecord[] = [];
  const parser = new LdifParser(options.source ?? "LDIF", (r) => out.push(r));
  parser.pushText(text);
  parser.end();
  return out;
}

/**
 * Reads a content file fast: calls `onRecord` for every record, with content records as
 * {@link ScannedEntry} (validated exactly like {@link parseLdif} does, but without building their
 * attributes) and change records as parsed. Errors name the line, as with {@link parseLdif}.
 *
 * @example
 * await scanLdif(createReadStream(file), { source: file }, (r) => { if (r.kind === "entry") … });
 */
export async function scanLdif(
  input: Input,
  options: ParseLdifOptions,
  onRecord: (record: ScannedEntry | LdifRecord) => void,
): Promise<void> {
  const parser = new LdifParser(options.source ?? "LDIF", onRecord, onRecord);
  for await (const chunk of input) parser.pushBytes(toBuffer(chunk));
  parser.end();
}

class LdifParser {
  readonly #source: string;
  readonly #scanner: LineScanner;
  readonly #onRecord: (record: LdifRecord) => void;
  readonly #onEntry: ((entry: ScannedEntry) => void) | null;
  readonly #names = new Map<string, string>();
  #first = true;
  #lineCanonical = false;

  /** With `onEntry`, content records are handed over as {@link ScannedEntry} instead. */
  constructor(
    source: string,
    onRecord: (record: LdifRecord) => void,
    onEntry: ((entry: ScannedEntry) => void) | null = null,
  ) {
    this.#source = source;
    this.#onRecord = onRecord;
    this.#onEntry = onEntry;
    this.#scanner = new LineScanner(
      (record) => this.#record(record),
      (line, message) => this.#error(line, message),
    );
  }

  pushBytes(chunk: Uint8Array): void {
    this.#scanner.pushBytes(chunk);
  }

  pushText(text: string): void {
    this.#scanner.pushText(text);
  }

  end(): void {
    this.#scanner.end();
  }

  #record(record: RecordLines): void {
    let { texts, lines } = record;
    let canonical = record.layoutCanonical;
    let plain = record.plain;
    if (this.#first) {
      this.#first = false;
      const head = texts[0] as string;
      if (VERSION.test(head)) {
        const field = this.#field(head, lines[0] as number);
        if (field.value.trim() !== "1")
          throw this.#error(lines[0] as number, `unsupported LDIF version "${field.value}"`);
        texts = texts.slice(1);
        lines = lines.slice(1);
        canonical = false;
        plain = false;
        if (!texts.length) return;
      }
    }
    const onEntry = this.#onEntry;
    if (onEntry) {
      const entry = this.#entry(texts, lines, record, canonical, plain);
      if (entry) {
        onEntry(entry);
        return;
      }
    }
    const parsed = this.#build(texts.map((t, i) => this.#field(t, lines[i] as number)));
    if (onEntry && parsed.kind === "content") {
      const name = Object.keys(parsed.attrs).find((k) => k.toLowerCase() === "objectclass");
      onEntry({
        kind: "entry",
        dn: parsed.dn,
        line: parsed.line as number,
        objectClass: name ? (parsed.attrs[name] as string[]) : [],
        text: record.raw,
        form: "raw",
        offset: record.offset,
        bytes: record.bytes,
      });
    } else this.#onRecord(parsed);
  }

  /**
   * The fast path of {@link scanLdif} for an ordinary content record: validates every line and
   * decides the form of its text, without building its attributes. Returns null for anything
   * unusual (a change record, a bad line), which the general path then handles.
   */
  #entry(
    texts: string[],
    lines: number[],
    record: RecordLines,
    layoutCanonical: boolean,
    layoutPlain: boolean,
  ): ScannedEntry | null {
    const head = texts[0] as string;
    if (!head.startsWith("dn:")) return null;
    const dn = this.#value(head, 2);
    if (dn === null) return null;
    let canonical = layoutCanonical && this.#lineCanonical;
    let plain = layoutPlain;
    const objectClass: string[] = [];
    const names: string[] = [];
    let prevName = "";
    let prevLower = "";
    let prevRank = -1;
    let prevValue: string | null = null;
    let runStart = 1;
    let run: string[] | null = null;
    let runSet: Set<string> | null = null;
    for (let i = 1; i < texts.length; i++) {
      const t = texts[i] as string;
      const colon = t.indexOf(":");
      if (colon <= 0) return null;
      const name = t.slice(0, colon);
      let lower = this.#names.get(name);
      if (lower === undefined) {
        if (!ATTRIBUTE_DESCRIPTION.test(name)) return null;
        lower = name.toLowerCase();
        if (this.#names.size < NAME_CACHE_LIMIT) this.#names.set(name, lower);
      }
      if (i === 1 && (lower === "changetype" || lower === "control")) return null;
      // The value as a string only where it is needed: decoded base64, objectClass, comparisons.
      let value: string | null = null;
      const marker = t.charCodeAt(colon + 1);
      if (marker === 58 || marker === 60) {
        value = this.#value(t, colon);
        if (value === null) return null;
      } else if (canonical) {
        this.#lineCanonical =
          colon + 1 === t.length || (t.charCodeAt(colon + 1) === 32 && plainSafe(t, colon + 2));
      }
      if (lower === "objectclass") {
        value ??= this.#value(t, colon) as string;
        objectClass.push(value);
      }
      if (!plain) continue;
      const sameName = name === prevName;
      if (canonical) {
        if (!this.#lineCanonical) canonical = false;
        else if (sameName) {
          value ??= this.#value(t, colon) as string;
          prevValue ??= this.#value(texts[i - 1] as string, (texts[i - 1] as string).indexOf(":")) as string;
          canonical = value > prevValue;
        } else {
          const rank = lower === "objectclass" ? 0 : 1;
          canonical = rank > prevRank || (rank === prevRank && lower > prevLower);
          prevRank = rank;
        }
        prevValue = value;
      }
      if (!sameName) {
        if (!canonical && names.includes(lower)) {
          plain = false;
          continue;
        }
        names.push(lower);
        prevName = name;
        prevLower = lower;
        runStart = i;
        run = null;
        runSet = null;
      }
      if (canonical) continue;
      value ??= this.#value(t, colon) as string;
      run ??= this.#values(texts, runStart, i);
      if (run.length < SCAN_LIMIT) {
        if (run.includes(value)) plain = false;
      } else {
        runSet ??= new Set(run);
        if (runSet.has(value)) plain = false;
        runSet.add(value);
      }
      run.push(value);
    }
    const form: TextForm = canonical && plain ? "canonical" : plain ? "plain" : "raw";
    const { raw: text, offset, bytes } = record;
    return { kind: "entry", dn, line: lines[0] as number, objectClass, text, form, offset, bytes };
  }

  /** The values of the logical lines `from` to `to` (exclusive), which were validated. */
  #values(texts: string[], from: number, to: number): string[] {
    const out: string[] = [];
    for (let i = from; i < to; i++) {
      const t = texts[i] as string;
      out.push(this.#value(t, t.indexOf(":")) as string);
    }
    return out;
  }

  /**
   * The value of the logical line `t` whose colon is at `colon`, or null when the line needs
   * the general path (a URL value, bad base64, binary data). Sets #lineCanonical to whether the
   * line is written as the canonical writer writes it.
   */
  #value(t: string, colon: number): string | null {
    const marker = t.charCodeAt(colon + 1);
    if (marker === 58) {
      const encoded = t.slice(colon + 2).trim();
      if (!BASE64.test(encoded)) return null;
      const bytes = Buffer.from(encoded, "base64");
      if (!isUtf8(bytes)) return null;
      const value = bytes.toString("utf8");
      this.#lineCanonical =
        t.charCodeAt(colon + 2) === 32 &&
        encoded.length === t.length - colon - 3 &&
        needsBase64(value) &&
        bytes.toString("base64") === encoded;
      return value;
    }
    if (marker === 60) return null;
    let start = colon + 1;
    while (t.charCodeAt(start) === 32) start += 1;
    if (start >= t.length) {
      this.#lineCanonical = t.length === colon + 1;
      return "";
    }
    const value = t.slice(start);
    this.#lineCanonical = start === colon + 2 && !needsBase64(value);
    return value;
  }

  #build(fields: Field[]): LdifRecord {
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
    const byLower = new Map<string, { values: string[]; set: Set<string> | null }>();
    for (const f of fields) {
      const lower = this.#checkName(f);
      let slot = byLower.get(lower);
      if (!slot) {
        slot = { values: [], set: null };
        byLower.set(lower, slot);
        attrs[f.name] = slot.values;
      }
      const { values } = slot;
      if (values.length < SCAN_LIMIT) {
        if (!values.includes(f.value)) values.push(f.value);
        continue;
      }
      if (!slot.set) slot.set = new Set(values);
      if (!slot.set.has(f.value)) {
        slot.set.add(f.value);
        values.push(f.value);
      }
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

  #field(text: string, line: number): Field {
    if (text === "-") return { name: "-", value: "", line };
    const colon = text.indexOf(":");
    if (colon <= 0) throw this.#error(line, 'expected "name: value" (the colon is missing)');
    const name = text.slice(0, colon);
    const marker = text.charCodeAt(colon + 1);
    if (marker === 60) {
      throw this.#error(line, `"${name}:<" takes its value from a URL, which is not supported`, {
        hint: 'Inline the value, base64-encoded after "::" if needed.',
      });
    }
    if (marker === 58) {
      const encoded = text.slice(colon + 2).trim();
      if (!BASE64.test(encoded)) throw this.#error(line, `the base64 value of "${name}" is malformed`);
      const bytes = Buffer.from(encoded, "base64");
      if (!isUtf8(bytes)) {
        throw this.#error(line, `the value of "${name}" is not UTF-8 text (binary values are not supported)`);
      }
      return { name, value: bytes.toString("utf8"), line };
    }
    let start = colon + 1;
    while (text.charCodeAt(start) === 32) start += 1;
    return { name, value: text.slice(start), line };
  }

  /** Validates an attribute name; returns it lower-cased. */
  #checkName(f: Field): string {
    const known = this.#names.get(f.name);
    if (known !== undefined) return known;
    if (!ATTRIBUTE_DESCRIPTION.test(f.name))
      throw this.#error(f.line, `"${f.name}" is not a valid attribute name`);
    const lower = f.name.toLowerCase();
    if (this.#names.size < NAME_CACHE_LIMIT) this.#names.set(f.name, lower);
    return lower;
  }

  #error(line: number, message: string, extra: { hint?: string; cause?: unknown } = {}): OverstapError {
    return new OverstapError("TARGET_INVALID", `${this.#source}:${line}: ${message}`, {
      cause: extra.cause,
      hint: extra.hint ?? "Fix the LDIF at that line (RFC 2849).",
      details: { line },
    });
  }
}
