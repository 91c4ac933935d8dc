import type { FileHandle } from "node:fs/promises";
import { open, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { OverstapError } from "../../src/errors.js";
import { PRIVATE_MODE, syncDir } from "./durable-file.js";
import { formatLdifRecord } from "./format.js";
import { parseLdif } from "./parse.js";
import type { LdifChangeRecord } from "./record.js";

const MARKER = "# overstap change records: ";

/**
 * Where the complete part of a change log ends: just after the last complete marker comment.
 * Anything after it is the torn tail of an append that never finished.
 */
function completeLength(buf: Buffer): { length: number; total: number } {
  const marker = Buffer.from(`\n${MARKER}`);
  let at = buf.lastIndexOf(marker);
  while (at !== -1) {
    const end = buf.indexOf("\n\n", at + marker.length);
    const digits = buf.subarray(at + marker.length, end).toString("latin1");
    if (end !== -1 && /^[0-9]+$/.test(digits)) return { length: end + 2, total: Number(digits) };
    at = at === 0 ? -1 : buf.lastIndexOf(marker, at - 1);
  }
  return { length: 0, total: 0 };
}

/**
 * The append-only log of change records of an LDIF target (`<file>.changes.ldif`): plain LDIF
 * that `ldapmodify -f` replays on a real server. The records of one operation are appended in one
 * write, closed by a comment with the running record count; a torn tail (an append cut short by
 * a crash) is cut off when the log is opened.
 */
export class ChangeLog {
  readonly file: string;
  #handle: FileHandle;
  #total: number;
  #complete: Buffer | null;

  private constructor(file: string, handle: FileHandle, total: number, complete: Buffer) {
    this.file = file;
    this.#handle = handle;
    this.#total = total;
    this.#complete = complete;
  }

  /** Opens (or creates, mode 0600) the log at `file`, cutting off a torn tail. */
  static async open(file: string): Promise<ChangeLog> {
    const existed = await stat(file).then(
      () => true,
      () => false,
    );
    const buf = existed ? await readFile(file) : Buffer.alloc(0);
    const { length, total } = completeLength(buf);
    const handle = await open(file, "a", PRIVATE_MODE);
    try {
      await handle.chmod(PRIVATE_MODE);
      if (length < buf.length) {
        await handle.truncate(length);
        await handle.sync();
      }
      if (!existed) await syncDir(path.dirname(file));
    } catch (err) {
      await handle.close();
      throw err;
    }
    return new ChangeLog(file, handle, total, buf.subarray(0, length));
  }

  /** How many change records the log holds. */
  get total(): number {
    return this.#total;
  }

  /** The records the log held when it was opened, in order (once). */
  async *records(): AsyncGenerator<LdifChangeRecord> {
    const buf = this.#complete;
    this.#complete = null;
    if (!buf) return;
    let n = 0;
    for await (const record of parseLdif([buf], { source: this.file })) {
      if (record.kind === "content") {
        throw new OverstapError(
          "TARGET_INVALID",
          `${this.file}:${record.line}: a content record in the change log`,
          {
            hint: "The change log holds change records only; restore it from a backup.",
          },
        );
      }
      n += 1;
      yield record;
    }
    if (n !== this.#total) {
      throw new OverstapError(
        "TARGET_INVALID",
        `${this.file}: holds ${n} change records, but its last marker says ${this.#total}`,
        {
          hint: "The change log was edited; restore it from a backup.",
        },
      );
    }
  }

  /** Appends the records of one operation in a single write. Durable after {@link sync}. */
  async append(records: LdifChangeRecord[]): Promise<void> {
    if (!records.length) return;
    const total = this.#total + records.length;
    const text = `${records.map(formatLdifRecord).join("")}${MARKER}${total}\n\n`;
    await this.#handle.write(text);
    this.#total = total;
  }

  /** fsyncs the log. */
  async sync(): Promise<void> {
    await this.#handle.sync();
  }

  async close(): Promise<void> {
    await this.#handle.close();
  }
}
