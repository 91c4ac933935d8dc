import { isAscii, isUtf8 } from "node:buffer";
import { LDIF_LINE_WIDTH } from "./format.js";

/**
 * One record of an LDIF file as the scanner hands it over: its logical lines (comments
 * dropped, folding undone) with their line numbers, and the record's text as written.
 */
export interface RecordLines {
  texts: string[];
  lines: number[];
  /** The record as written, from its first line through the blank line that ends it. */
  raw: string;
  /** Where {@link raw} starts in the input, in bytes (UTF-8), and how many bytes it takes. */
  offset: number;
  bytes: number;
  /**
   * True when the record is laid out as the canonical writer lays it out: folded exactly at
   * {@link LDIF_LINE_WIDTH} columns, no comments, no CR, ended by a blank line.
   */
  layoutCanonical: boolean;
  /** True when the record holds no comment and no CR. */
  plain: boolean;
}

/** Builds the error for a line: the scanner's caller names the source. */
export type LineError = (line: number, message: string) => Error;

/**
 * Splits LDIF bytes into records in one pass: chunks are cut at their last line feed, checked
 * for UTF-8 natively, decoded as one string each, and walked with `indexOf`. A record that
 * spans chunks keeps its pieces until it ends.
 */
export class LineScanner {
  readonly #onRecord: (record: RecordLines) => void;
  readonly #fail: LineError;
  #lineNo = 0;
  #carry: Buffer | null = null;
  #cur: string | null = null;
  #curLine = 0;
  #curComment = false;
  #curLast = 0;
  #texts: string[] = [];
  #lines: number[] = [];
  #inRecord = false;
  #canonical = true;
  #plain = true;
  #pieces: string[] = [];
  /** Input bytes before the text being scanned; whether that text is ASCII; a position in it and its byte offset. */
  #base = 0;
  #ascii = true;
  #markChar = 0;
  #markByte = 0;
  #recOffset = 0;

  constructor(onRecord: (record: RecordLines) => void, fail: LineError) {
    this.#onRecord = onRecord;
    this.#fail = fail;
  }

  /**
   * Scans a chunk of bytes; an incomplete last line waits for the next chunk. The chunk is not
   * kept, so the caller may reuse its buffer.
   */
  pushBytes(chunk: Uint8Array): void {
    let bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.#carry) {
      const first = bytes.indexOf(10);
      if (first === -1) {
        this.#carry = Buffer.concat([this.#carry, bytes]);
        return;
      }
      const line = Buffer.concat([this.#carry, bytes.subarray(0, first + 1)]);
      this.#carry = null;
      this.#scan(this.#decode(line), line.length);
      bytes = bytes.subarray(first + 1);
    }
    const last = bytes.lastIndexOf(10);
    if (last === -1) {
      if (bytes.length) this.#carry = Buffer.from(bytes);
      return;
    }
    if (last + 1 < bytes.length) this.#carry = Buffer.from(bytes.subarray(last + 1));
    this.#scan(this.#decode(bytes.subarray(0, last + 1)), last + 1);
  }

  /** Scans text that is already decoded (all of it: the last line may lack a line feed). */
  pushText(text: string): void {
    this.#ascii = false;
    this.#scan(text, Buffer.byteLength(text));
  }

  /** Ends the input: scans a last line without line feed and ends the last record. */
  end(): void {
    if (this.#carry) {
      const rest = this.#carry;
      this.#carry = null;
      this.#scan(this.#decode(rest), rest.length);
    }
    this.#endLogical();
    if (this.#inRecord) {
      this.#canonical = false;
      this.#endRecord("", 0, 0);
    }
  }

  #decode(bytes: Buffer): string {
    this.#ascii = isAscii(bytes);
    if (this.#ascii) return bytes.toString("latin1");
    if (isUtf8(bytes)) return bytes.toString("utf8");
    let start = 0;
    for (;;) {
      const nl = bytes.indexOf(10, start);
      const end = nl === -1 ? bytes.length : nl;
      if (!isUtf8(bytes.subarray(start, end))) {
        this.#scan(bytes.toString("utf8", 0, start), start);
        throw this.#fail(this.#lineNo + 1, "the line is not valid UTF-8");
      }
      start = end + 1;
    }
  }

  /** The byte offset in the input of character `at` of `text`, the text being scanned (`at` never goes back). */
  #byteAt(text: string, at: number): number {
    if (this.#ascii) return this.#base + at;
    this.#markByte += Buffer.byteLength(text.slice(this.#markChar, at));
    this.#markChar = at;
    return this.#base + this.#markByte;
  }

  /** Scans `text`, the next `byteLength` bytes of the input. */
  #scan(text: string, byteLength: number): void {
    this.#markChar = this.#markByte = 0;
    const len = text.length;
    let recStart = 0;
    let pos = 0;
    while (pos < len) {
      let nl = text.indexOf("\n", pos);
      if (nl === -1) nl = len;
      this.#lineNo += 1;
      let end = nl;
      const cr = end > pos && text.charCodeAt(end - 1) === 13;
      if (cr) end -= 1;
      const first = end > pos ? text.charCodeAt(pos) : -1;
      if (first === 32) {
        if (this.#cur === null)
          throw this.#fail(this.#lineNo, "a continuation line (starting with a space) follows no line");
        this.#cur += text.slice(pos + 1, end);
        if (this.#curLast !== LDIF_LINE_WIDTH || end - pos < 2 || end - pos > LDIF_LINE_WIDTH)
          this.#canonical = false;
        this.#curLast = end - pos;
        if (cr) this.#canonical = this.#plain = false;
      } else {
        this.#endLogical();
        if (first === -1) {
          if (this.#inRecord) {
            if (cr) this.#plain = false;
            if (cr || nl === len) this.#canonical = false;
            this.#endRecord(text, recStart, Math.min(nl + 1, len));
          }
        } else {
          if (!this.#inRecord) {
            this.#inRecord = true;
            this.#canonical = this.#plain = true;
            recStart = pos;
            this.#recOffset = this.#byteAt(text, pos);
          }
          this.#cur = text.slice(pos, end);
          this.#curLine = this.#lineNo;
          this.#curComment = first === 35;
          this.#curLast = end - pos;
          if (cr || this.#curComment) this.#canonical = this.#plain = false;
          else if (end - pos > LDIF_LINE_WIDTH) this.#canonical = false;
        }
      }
      pos = nl + 1;
    }
    if (this.#inRecord && recStart < len) this.#pieces.push(text.slice(recStart, len));
    this.#base += byteLength;
  }

  #endLogical(): void {
    if (this.#cur !== null && !this.#curComment) {
      this.#texts.push(this.#cur);
      this.#lines.push(this.#curLine);
    }
    this.#cur = null;
  }

  #endRecord(text: string, start: number, end: number): void {
    const tail = text.slice(start, end);
    const bytes = (text === "" ? this.#base : this.#byteAt(text, end)) - this.#recOffset;
    const raw = this.#pieces.length ? this.#pieces.join("") + tail : tail;
    this.#pieces = [];
    this.#inRecord = false;
    if (!this.#texts.length) return;
    const record: RecordLines = {
      texts: this.#texts,
      lines: this.#lines,
      raw,
      offset: this.#recOffset,
      bytes,
      layoutCanonical: this.#canonical,
      plain: this.#plain,
    };
    this.#texts = [];
    this.#lines = [];
    this.#onRecord(record);
  }
}
