import { createHash } from "node:crypto";
import { closeSync, fchmodSync, fsyncSync, openSync } from "node:fs";
import { open, rename } from "node:fs/promises";
import path from "node:path";
import { BufferedWriter } from "../../src/plan/perf/buffered-writer.js";

/** File mode of every file that holds directory data. */
export const PRIVATE_MODE = 0o600;

/** Makes a rename or a newly created file in `dir` durable. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes `pieces` to `file` (created with mode 0600, replaced if present) and fsyncs it, through
 * one {@link BufferedWriter}. Returns the SHA-256 (hex) of the bytes written, computed as they
 * are written.
 */
export async function writeSynced(file: string, pieces: Iterable<string>): Promise<string> {
  const hash = createHash("sha256");
  const fd = openSync(file, "w", PRIVATE_MODE);
  try {
    fchmodSync(fd, PRIVATE_MODE);
    const out = new BufferedWriter(fd, (bytes) => hash.update(bytes));
    for (const piece of pieces) out.write(piece);
    out.flush();
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

/**
 * Replaces `file` atomically: writes a temporary file in the same directory, fsyncs it, renames
 * it over `file` and fsyncs the directory. A crash leaves either the old or the new content.
 */
export async function writeAtomic(file: string, pieces: Iterable<string>): Promise<string> {
  const tmp = `${file}.tmp-${process.pid}`;
  const sha = await writeSynced(tmp, pieces);
  await rename(tmp, file);
  await syncDir(path.dirname(file));
  return sha;
}
