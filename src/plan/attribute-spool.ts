import { closeSync, openSync, readSync, rmSync } from "node:fs";
import { ensurePrivateFile } from "../state/files.js";
import { BufferedWriter } from "./buffered-writer.js";

const CHUNK = 4 << 20;
const NEWLINE = 0x0a;

/**
 * The mapped attributes of every person between mapping and diff, one row per mapped person in
 * mapping order. In memory for small plans; for a plan file, in a private spool file next to
 * it (mode 0600, removed by {@link close}), so a million mapped persons do not hold their
 * attributes in the heap: the diff reads them back in the same order, once.
 *
 * Attribute names are stored once per distinct name list ("shape"); a row holds the number of
 * its shape and its values as JSON.
 *
 * @example
 * const spool = AttributeSpool.inFile(".overstap/plans/.pilot.plan.4242.attrs");
 * const row = spool.add({ uid: ["jan"] });
 * const read = spool.reader();
 * read(row); // { uid: ["jan"] }
 * spool.close();
 */
export class AttributeSpool {
  readonly #file: string | undefined;
  readonly #rows: string[] = [];
  readonly #shapeIds = new Map<string, number>();
  readonly #shapes: string[][] = [];
  #fd: number | undefined;
  #out: BufferedWriter | undefined;
  #count = 0;

  private constructor(file: string | undefined) {
    this.#file = file;
    if (file !== undefined) {
      ensurePrivateFile(file);
      this.#fd = openSync(file, "w+", 0o600);
      this.#out = new BufferedWriter(this.#fd);
    }
  }

  /** A spool that keeps the rows in memory. */
  static inMemory(): AttributeSpool {
    return new AttributeSpool(undefined);
  }

  /** A spool that writes the rows to `file` (created with mode 0600, replaced if present). */
  static inFile(file: string): AttributeSpool {
    return new AttributeSpool(file);
  }

  /** The number of rows added. */
  get count(): number {
    return this.#count;
  }

  /** Appends a row; returns its number. */
  add(attrs: Record<string, string[]>): number {
    const names = Object.keys(attrs);
    const signature = names.join("\n");
    let shape = this.#shapeIds.get(signature);
    if (shape === undefined) {
      shape = this.#shapes.length;
      this.#shapes.push(names);
      this.#shapeIds.set(signature, shape);
    }
    const line = `${shape}\t${JSON.stringify(Object.values(attrs))}\n`;
    if (this.#out === undefined) this.#rows.push(line);
    else this.#out.write(line);
    return this.#count++;
  }

  /**
   * A reader of the rows, by number. Rows of a file spool must be asked for in increasing
   * order (rows may be skipped); an in-memory spool answers in any order.
   */
  reader(): SpoolReader {
    return new SpoolReader([{ part: this.part(), rows: this.#count }]);
  }

  /** What a reader needs of this spool: its file (written out) or lines, and its shapes. */
  part(): SpoolPart {
    this.#out?.flush();
    return this.#file === undefined
      ? { lines: this.#rows, shapes: this.#shapes }
      : { file: this.#file, shapes: this.#shapes };
  }

  /** Removes the spool file (if any). Safe to call more than once. */
  close(): void {
    if (this.#fd !== undefined) {
      closeSync(this.#fd);
      this.#fd = undefined;
      this.#out = undefined;
    }
    if (this.#file !== undefined) rmSync(this.#file, { force: true });
    this.#rows.length = 0;
  }
}

/** A spool as its writer hands it over: a file (possibly written by another thread) or lines in memory. */
export interface SpoolPart {
  file?: string;
  lines?: string[];
  /** Attribute name lists by shape number. */
  shapes: string[][];
}

interface PartHolder {
  part: SpoolPart;
  line: ((index: number) => string) | undefined;
  fd?: number;
}

/**
 * Reads mapped attributes back by row from one or more spool parts: `segments` lists, in row
 * order, how many consecutive rows come from which part (the mapping workers each write their
 * own file, batch by batch). Rows from files must be asked for in increasing order.
 */
export class SpoolReader {
  readonly #segments: { part: number; start: number; rows: number; offset: number }[] = [];
  readonly #parts: PartHolder[];
  #segment = 0;

  constructor(segments: readonly { part: SpoolPart; rows: number }[]) {
    const index = new Map<SpoolPart, number>();
    this.#parts = [];
    const taken: number[] = [];
    let start = 0;
    for (const { part, rows } of segments) {
      let p = index.get(part);
      if (p === undefined) {
        p = this.#parts.length;
        index.set(part, p);
        this.#parts.push({ part, line: undefined });
        taken.push(0);
      }
      this.#segments.push({ part: p, start, rows, offset: taken[p] as number });
      taken[p] = (taken[p] as number) + rows;
      start += rows;
    }
  }

  /** The attributes of row `row`. */
  read(row: number): Record<string, string[]> {
    let s = this.#segments[this.#segment];
    if (s && row < s.start) {
      if (this.#parts[s.part]?.part.file !== undefined)
        throw new Error(`attribute spool row ${row} asked for after row ${s.start}`);
      this.#segment = 0;
      s = this.#segments[0];
    }
    while (s && row >= s.start + s.rows) s = this.#segments[++this.#segment];
    if (!s) throw new Error(`attribute spool has no row ${row}`);
    const holder = this.#parts[s.part] as PartHolder;
    holder.line ??= this.#lineReader(holder);
    return parseRow(holder.line(s.offset + row - s.start), holder.part.shapes);
  }

  /** Closes the files opened for reading. */
  close(): void {
    for (const p of this.#parts) {
      if (p.fd !== undefined) closeSync(p.fd);
      p.fd = undefined;
    }
  }

  #lineReader(holder: PartHolder): (index: number) => string {
    const { file, lines } = holder.part;
    if (file === undefined) return (index) => lines?.[index] ?? "";
    const fd = openSync(file, "r");
    holder.fd = fd;
    let buffer = Buffer.alloc(CHUNK);
    let filled = 0;
    let start = 0;
    let position = 0;
    let next = 0;
    // The next line, decoded only when `decode` (rows the planner skips are not).
    const line = (decode: boolean): string => {
      for (;;) {
        const end = buffer.indexOf(NEWLINE, start);
        if (end >= 0 && end < filled) {
          const text = decode ? buffer.toString("utf8", start, end) : "";
          start = end + 1;
          return text;
        }
        const rest = filled - start;
        if (rest === buffer.length) buffer = Buffer.concat([buffer, Buffer.alloc(buffer.length)]);
        buffer.copy(buffer, 0, start, filled);
        filled = rest;
        start = 0;
        const read = readSync(fd, buffer, filled, buffer.length - filled, position);
        if (read === 0) throw new Error(`attribute spool ${file} ended early`);
        position += read;
        filled += read;
      }
    };
    return (index) => {
      if (index < next) throw new Error(`attribute spool row ${index} asked for after row ${next - 1}`);
      for (; next < index; next++) line(false);
      next = index + 1;
      return line(true);
    };
  }
}

function parseRow(line: string, shapes: readonly string[][]): Record<string, string[]> {
  const tab = line.indexOf("\t");
  const names = shapes[Number(line.slice(0, tab))] ?? [];
  const values = JSON.parse(line.slice(tab + 1)) as string[][];
  const attrs: Record<string, string[]> = {};
  for (let i = 0; i < names.length; i++) attrs[names[i] as string] = values[i] as string[];
  return attrs;
}
