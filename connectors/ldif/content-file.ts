import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { OverstapError } from "../../src/errors.js";

/** Reads between two checks that the file is still the one loaded. */
const CHECK_EVERY = 1024;
/** Bytes read ahead at once when entries are asked for in file order. */
const WINDOW = 1 << 20;
/** The most bytes between one entry and the next read that still count as reading in file order. */
const GAP = 4096;

/**
 * The content file of an LDIF target, kept open while the target is: an entry that was not
 * changed since loading is read back from it by position instead of being held in memory.
 * Entries asked for in file order (reading the whole target) come from a read-ahead window of
 * 1 MiB (one system call per entry of a large target would cost seconds; docs/performance.md); others are read alone, since filling the window for entries scattered
 * over the file (the few a plan diffs) copied a mebibyte for each. The target's lock keeps other overstap processes
 * out; a file replaced by another program (an editor writes a new file) does not matter, since
 * the open descriptor still reads the old one; a file changed in place is noticed by its size
 * and modification time.
 */
export class ContentFile {
  readonly file: string;
  readonly #fd: number;
  readonly #size: number;
  readonly #mtimeMs: number;
  readonly #window = Buffer.allocUnsafe(WINDOW);
  /** The file range the window holds. */
  #from = 0;
  #to = 0;
  #single = Buffer.allocUnsafe(1 << 12);
  #reads = 0;
  /** Where the last entry read ends. */
  #last = 0;

  private constructor(file: string, fd: number) {
    this.file = file;
    this.#fd = fd;
    const stat = fstatSync(fd);
    this.#size = stat.size;
    this.#mtimeMs = stat.mtimeMs;
  }

  /** Opens `file` for reading by position. */
  static open(file: string): ContentFile {
    return new ContentFile(file, openSync(file, "r"));
  }

  /** The `bytes` bytes at `offset`, as UTF-8 text. */
  text(offset: number, bytes: number): string {
    if (++this.#reads % CHECK_EVERY === 0) this.#checkUnchanged();
    const end = offset + bytes;
    const inOrder = offset >= this.#last && offset - this.#last <= GAP;
    this.#last = end;
    if (offset >= this.#from && end <= this.#to)
      return this.#window.toString("utf8", offset - this.#from, end - this.#from);
    if (bytes <= WINDOW && inOrder) {
      this.#from = offset;
      this.#to = offset + this.#fill(this.#window, WINDOW, offset, bytes);
      return this.#window.toString("utf8", 0, bytes);
    }
    if (bytes > this.#single.length) this.#single = Buffer.allocUnsafe(bytes);
    this.#fill(this.#single, bytes, offset, bytes);
    return this.#single.toString("utf8", 0, bytes);
  }

  /** Closes the file; the entries read from it must not be asked for again. */
  close(): void {
    closeSync(this.#fd);
  }

  /** Reads up to `length` bytes at `offset` into `buffer`, at least `needed`; returns how many. */
  #fill(buffer: Buffer, length: number, offset: number, needed: number): number {
    let read = 0;
    while (read < needed) {
      const n = readSync(this.#fd, buffer, read, length - read, offset + read);
      if (n === 0) throw this.changed();
      read += n;
    }
    return read;
  }

  #checkUnchanged(): void {
    const stat = fstatSync(this.#fd);
    if (stat.size !== this.#size || stat.mtimeMs !== this.#mtimeMs) throw this.changed();
  }

  /** The error for a file that no longer holds what was loaded from it. */
  changed(): OverstapError {
    return new OverstapError("TARGET_INVALID", `${this.file} was changed while overstap was reading it`, {
      hint: "Nothing may write to the LDIF target's file while overstap uses it; run again.",
    });
  }
}
