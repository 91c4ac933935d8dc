import { readFile, rename, unlink } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { OverstapError } from "../../src/errors.js";
import { syncDir, writeSynced } from "./durable-file.js";

const AppliedSchema = z.object({ changes: z.number().int().nonnegative(), sha256: z.string().optional() });
export type Applied = z.infer<typeof AppliedSchema>;

/**
 * The sidecar `<file>.applied`: how many records of the change log the content file already
 * includes, tied to the content file by its SHA-256. While the content file is replaced, the
 * next sidecar waits in `<file>.applied.next`, so a crash between the two renames is recoverable.
 */
export class AppliedMarker {
  readonly file: string;
  readonly next: string;

  constructor(contentFile: string) {
    this.file = `${contentFile}.applied`;
    this.next = `${contentFile}.applied.next`;
  }

  /** The marker that matches content with hash `sha256` (current or pending), or null. */
  async find(sha256: string): Promise<{ applied: Applied; pending: boolean } | null> {
    const current = await this.#read(this.file, true);
    if (current && (current.sha256 === undefined || current.sha256 === sha256))
      return { applied: current, pending: false };
    const pending = await this.#read(this.next, false);
    if (pending && pending.sha256 === sha256) return { applied: pending, pending: true };
    return null;
  }

  /**
   * The SHA-256 hashes of content files this target wrote itself (current and pending marker),
   * so a content file with one of them can be read without checking its form. Damaged markers
   * count as absent here; {@link find} reports them.
   */
  async writtenHashes(): Promise<string[]> {
    const out: string[] = [];
    for (const file of [this.file, this.next]) {
      const applied = await this.#read(file, false);
      if (applied?.sha256 !== undefined) out.push(applied.sha256);
    }
    return out;
  }

  /** True when a sidecar exists (whatever it says). */
  async exists(): Promise<boolean> {
    return (await this.#read(this.file, true)) !== null;
  }

  /** Step 1 of replacing the content file: record the marker of the new content, durably. */
  async prepare(applied: Applied): Promise<void> {
    await writeSynced(this.next, [`${JSON.stringify(applied)}\n`]);
  }

  /** Step 3, after the new content file was renamed into place: make the prepared marker current. */
  async commit(): Promise<void> {
    await rename(this.next, this.file);
    await syncDir(path.dirname(this.file));
  }

  /** Removes a pending marker that matches no content file. */
  async discardPending(): Promise<void> {
    await unlink(this.next).catch(() => undefined);
  }

  /** Reads a marker; a damaged pending marker (torn write) counts as absent, a damaged current one is an error. */
  async #read(file: string, strict: boolean): Promise<Applied | null> {
    const text = await readFile(file, "utf8").catch(() => null);
    if (text === null) return null;
    let parsed: ReturnType<typeof AppliedSchema.safeParse> | null = null;
    try {
      parsed = AppliedSchema.safeParse(JSON.parse(text));
    } catch {
      parsed = null;
    }
    if (parsed?.success) return parsed.data;
    if (!strict) return null;
    throw new OverstapError(
      "TARGET_INVALID",
      `${file}: is not an applied-changes marker ({"changes": N, "sha256": …})`,
      {
        hint: "Restore it from a backup, or write the number of change records the content file already includes.",
      },
    );
  }
}
