import { closeSync, openSync, readSync, rmSync } from "node:fs";
import { createPrivateFile } from "../../state/files.js";
import { BufferedWriter } from "./buffered-writer.js";

const CHUNK = 4 << 20;
const NEWLINE = 0x0a;

/**
 * The mapped attributes of every person between mapping and diff, one row per mapped person in
 * mapping order. In memory for small plans; for a plan file, in a private spool file next to
 * it (mode 0600, removed by {@link close}), so a million mapped persons do not hold their
 * attributes in the heap: the diff reads them back in the same order, once.
 *
 * A row is the attributes' JSON text, as `JSON.stringify` gives it: a person create goes into
 * the plan file as those bytes (see {@link SpoolReader.raw}), without being parsed and
 * serialised again.
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
  #fd: number | undefined;
  #out: BufferedWriter | undefined;
  #count = 0;

  private constructor(file: string | undefined) {
    this.#file = file;
    if (file !== undefined) {
      this.#fd = createPrivateFile(file, true);
      this.#out = new BufferedWriter(this.#fd);
    }
  }

  /** A spool that keeps the rows in memory. */
  static inMemory(): AttributeSpool {
    return new AttributeSpool(undefined);
  }

  /** A spool that writes the rows to `file` (created exclusively, mode 0600; it must not exist). */
  static inFile(file: string): AttributeSpool {
    return new AttributeSpool(file);
  }

  /** The number of rows added. */
  get count(): number {
    return this.#count;
  }

  /** Appends a row; returns its number. */
  add(attrs: Record<string, string[]>): number {
    const json = JSON.stringify(attrs);
    if (this.#out === undefined) this.#rows.push(json);
    else this.#out.write(`${json}\n`);
    return this.#count++;
  }

  /**
   * A reader of the rows, by number. Rows of a file spool must be asked for in increasing
   * order (rows may be skipped); an in-memory spool answers in any order.
   */
  reader(): SpoolReader {
    return new SpoolReader([{ part: this.part(), rows: this.#count }]);
  }

  /** Writes out what is buffered (a file spool). */
  flush(): void {
    this.#out?.flush();
  }

  /** What a reader needs of this spool: its file (written out) or its rows. */
  part(): SpoolPart {
    this.flush();
    return this.#file === undefined ? { lines: this.#rows } : { file: this.#file };
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

/** A spool as its writer hands it over: a file (possibly written by another thread) or rows in memory. */
export interface SpoolPart {
  file?: string;
  lines?: string[];
}

/** A row's JSON text: bytes of a file spool (valid until the next read), or an in-memory row. */
export type RawRow = string | Buffer;

interface PartHolder {
  part: SpoolPart;
  line: ((index: number) => RawRow) | undefined;
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
    const raw = this.raw(row);
    return JSON.parse(typeof raw === "string" ? raw : raw.toString("utf8")) as Record<string, string[]>;
  }

  /**
   * The JSON text of row `row` as stored: for a file spool, bytes of the read buffer that the
   * next read overwrites (copy them before reading on); for an in-memory spool, the string.
   */
  raw(row: number): RawRow {
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
    return holder.line(s.offset + row - s.start);
  }

  /** Closes the files opened for reading. */
  close(): void {
    for (const p of this.#parts) {
      if (p.fd !== undefined) closeSync(p.fd);
      p.fd = undefined;
    }
  }

  #lineReader(holder: PartHolder): (index: number) => RawRow {
    const { file, lines } = holder.part;
    if (file === undefined) return (index) => lines?.[index] ?? "";
    const fd = openSync(file, "r");
    holder.fd = fd;
    let buffer = Buffer.alloc(CHUNK);
    let filled = 0;
    let start = 0;
    let position = 0;
    let next = 0;
    // The next line's bytes when `wanted` (rows the planner skips are only stepped over).
    const line = (wanted: boolean): Buffer | null => {
      for (;;) {
        const end = buffer.indexOf(NEWLINE, start);
        if (end >= 0 && end < filled) {
          const bytes = wanted ? buffer.subarray(start, end) : null;
          start = end + 1;
          return bytes;
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
      return line(true) as Buffer;
    };
  }
}
