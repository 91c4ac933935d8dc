import { writeSync } from "node:fs";

const SIZE = 4 << 20;

/**
 * Appends text to an open file through a fixed buffer: each piece is encoded straight into the
 * buffer, which is written when full. Much cheaper than joining pieces into one large string
 * and writing that (the spools of a million-person plan write about a gigabyte). `seen`, when
 * given, receives every run of bytes just before it is written (to hash them, say).
 *
 * @example
 * const out = new BufferedWriter(fd);
 * out.write("one line\n");
 * out.flush();
 */
export class BufferedWriter {
  readonly #fd: number;
  readonly #buffer = Buffer.allocUnsafe(SIZE);
  readonly #seen: ((bytes: Uint8Array) => void) | undefined;
  #used = 0;

  constructor(fd: number, seen?: (bytes: Uint8Array) => void) {
    this.#fd = fd;
    this.#seen = seen;
  }

  /** Appends `text` (UTF-8). */
  write(text: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    if (this.#used + text.length * 3 > SIZE) {
      this.flush();
      if (text.length * 3 > SIZE) {
        this.#writeAll(Buffer.from(text, "utf8"));
        return;
      }
    }
    this.#used += this.#buffer.write(text, this.#used);
  }

  /** Appends `bytes` as they are. */
  writeBytes(bytes: Uint8Array): void {
    if (this.#used + bytes.length > SIZE) {
      this.flush();
      if (bytes.length > SIZE) {
        this.#writeAll(bytes);
        return;
      }
    }
    this.#buffer.set(bytes, this.#used);
    this.#used += bytes.length;
  }

  /** Writes what the buffer holds. */
  flush(): void {
    this.#writeAll(this.#buffer.subarray(0, this.#used));
    this.#used = 0;
  }

  #writeAll(bytes: Uint8Array): void {
    this.#seen?.(bytes);
    let done = 0;
    while (done < bytes.length) done += writeSync(this.#fd, bytes, done, bytes.length - done);
  }
}
