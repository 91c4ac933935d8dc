import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { OverstapError } from "../../src/errors.js";

/** Reads between two checks that the file is still the one loaded. */
const CHECK_EVERY = 1024;

/**
 * The content file of an LDIF target, kept open while the target is: an entry that was not
 * changed since loading is read back from it by position (`pread`) instead of being held in
 * memory. The target's lock keeps other overstap processes out; a file replaced by another
 * program (an editor writes a new file) does not matter, since the open descriptor still reads
 * the old one; a file changed in place is noticed by its size and modification time.
 */
export class ContentFile {
  readonly file: string;
  readonly #fd: number;
  readonly #size: number;
  readonly #mtimeMs: number;
  #buffer = Buffer.allocUnsafe(1 << 16);
  #reads = 0;

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
    if (bytes > this.#buffer.length) this.#buffer = Buffer.allocUnsafe(bytes);
    let read = 0;
    while (read < bytes) {
      const n = readSync(this.#fd, this.#buffer, read, bytes - read, offset + read);
      if (n === 0) throw this.changed();
      read += n;
    }
    return this.#buffer.toString("utf8", 0, bytes);
  }

  /** Closes the file; the entries read from it must not be asked for again. */
  close(): void {
    closeSync(this.#fd);
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
