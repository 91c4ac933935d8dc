import type { TextLine } from "./lines.js";

/** A CSV record: its fields and the line it starts on. */
export interface CsvRow {
  line: number;
  fields: string[];
}

/** A record that could not be read; `column` is the 1-based field where reading failed. */
export interface CsvRowError {
  line: number;
  error: string;
  column?: number;
}

/** A quoted field may span at most this many lines before its quote counts as unterminated. */
export const MAX_RECORD_LINES = 100;

const UNTERMINATED = "unterminated quote (the quoted field never ends)";

function countQuotes(text: string): number {
  let n = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) n += 1;
  return n;
}

/**
 * Splits one complete record (RFC 4180: quoted fields, `""` escapes, line breaks inside quotes)
 * into fields, or says which field is malformed.
 */
export function splitFields(
  text: string,
  delimiter: string,
): { fields: string[] } | { error: string; column: number } {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    const column = fields.length + 1;
    if (text[i] === '"') {
      let value = "";
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q === -1) return { error: `unterminated quote in field ${column}`, column };
        value += text.slice(j, q);
        if (text[q + 1] === '"') {
          value += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i === text.length) return { fields };
      if (text[i] !== delimiter) return { error: `text after the closing quote of field ${column}`, column };
      i += 1;
      continue;
    }
    const end = text.indexOf(delimiter, i);
    const value = end === -1 ? text.slice(i) : text.slice(i, end);
    if (value.includes('"')) {
      return {
        error: `a double quote inside unquoted field ${column} (quote the whole field and double the quote)`,
        column,
      };
    }
    fields.push(value);
    if (end === -1) return { fields };
    i = end + 1;
  }
}

/**
 * Assembles physical lines into CSV records, in bounded memory. A record whose quotes stay open
 * (more than {@link MAX_RECORD_LINES} lines, or at the end of the file) is reported at its first
 * line, and the lines after that one are read again as records of their own, so one stray quote
 * costs one row, not the rest of the file. Blank lines are skipped.
 */
export class RecordAssembler {
  readonly #delimiter: string;
  #pending: TextLine[] = [];
  #quotes = 0;

  constructor(delimiter: string) {
    this.#delimiter = delimiter;
  }

  /** Feeds one line; returns the records it completes. */
  push(line: TextLine): Array<CsvRow | CsvRowError> {
    const out: Array<CsvRow | CsvRowError> = [];
    const work = [line];
    while (work.length) this.#take(work.shift() as TextLine, work, out);
    return out;
  }

  /** Ends the input; returns the records still open, reported and re-read. */
  end(): Array<CsvRow | CsvRowError> {
    const out: Array<CsvRow | CsvRowError> = [];
    while (this.#pending.length) {
      const [first, ...rest] = this.#pending;
      this.#reset();
      out.push({ line: (first as TextLine).line, error: UNTERMINATED });
      const work = [...rest];
      while (work.length) this.#take(work.shift() as TextLine, work, out);
    }
    return out;
  }

  #take(line: TextLine, work: TextLine[], out: Array<CsvRow | CsvRowError>): void {
    if (line.tooLong) {
      if (this.#pending.length) {
        work.unshift(line);
        this.#giveUp(work, out, UNTERMINATED);
      } else out.push({ line: line.line, error: "the line is longer than 1 MiB" });
      return;
    }
    if (!this.#pending.length && line.text.trim() === "") return;
    this.#pending.push(line);
    this.#quotes += countQuotes(line.text);
    if (this.#quotes % 2 === 0) {
      const lines = this.#pending;
      const first = lines[0] as TextLine;
      const parsed = splitFields(
        lines.length === 1 ? first.text : lines.map((l) => l.text).join("\n"),
        this.#delimiter,
      );
      if ("fields" in parsed) {
        this.#reset();
        out.push({ line: first.line, fields: parsed.fields });
      } else if (lines.length === 1) {
        this.#reset();
        out.push({ line: first.line, error: parsed.error, column: parsed.column });
      } else
        this.#giveUp(
          work,
          out,
          `${parsed.error}, in a record that spans lines ${first.line}-${first.line + lines.length - 1}`,
        );
      return;
    }
    if (this.#pending.length >= MAX_RECORD_LINES) this.#giveUp(work, out, UNTERMINATED);
  }

  /** Reports the open record at its first line and queues its other lines to be read again. */
  #giveUp(work: TextLine[], out: Array<CsvRow | CsvRowError>, error: string): void {
    const [first, ...again] = this.#pending as [TextLine, ...TextLine[]];
    this.#reset();
    out.push({ line: first.line, error });
    work.unshift(...again);
  }

  #reset(): void {
    this.#pending = [];
    this.#quotes = 0;
  }
}
