import { writeSync } from "node:fs";

const SIZE = 4 << 20;

/**
 * Appends text to an open file through a fixed buffer: each piece is encoded straight into the
 * buffer, which is written when full. Much cheaper than joining pieces into one large string
 * and writing that (the spools of a million-person plan write about a gigabyte).
 *
 * @example
 * const out = new BufferedWriter(fd);
 * out.write("one line\n");
 * out.flush();
 */
export class BufferedWriter {
  readonly #fd: number;
  readonly #buffer = Buffer.allocUnsafe(SIZE);
  #used = 0;

  constructor(fd: number) {
    this.#fd = fd;
  }

  /** Appends `text` (UTF-8). */
  write(text: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    if (this.#used + text.length * 3 > SIZE) {
      this.flush();
      if (text.length * 3 > SIZE) {
        writeSync(this.#fd, text);
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
        writeSync(this.#fd, bytes);
        return;
      }
    }
    this.#buffer.set(bytes, this.#used);
    this.#used += bytes.length;
  }

  /** Writes what the buffer holds. */
  flush(): void {
    let done = 0;
    while (done < this.#used) done += writeSync(this.#fd, this.#buffer, done, this.#used - done);
    this.#used = 0;
  }
}
