import { createHash } from "node:crypto";
import { open, rename } from "node:fs/promises";
import path from "node:path";

/** File mode of every file that holds directory data. */
export const PRIVATE_MODE = 0o600;

const BATCH = 1 << 20;

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
 * Writes `pieces` to `file` (created with mode 0600, replaced if present) and fsyncs it. Pieces
 * are encoded one by one into a reused 1 MiB buffer, written when it is full (fresh memory is
 * costly). Returns the SHA-256 (hex) of the bytes written, computed as they are written.
 */
export async function writeSynced(file: string, pieces: Iterable<string>): Promise<string> {
  const hash = createHash("sha256");
  const handle = await open(file, "w", PRIVATE_MODE);
  try {
    await handle.chmod(PRIVATE_MODE);
    const buffer = Buffer.allocUnsafe(BATCH);
    let used = 0;
    const write = async (bytes: Buffer) => {
      hash.update(bytes);
      await handle.write(bytes);
    };
    for (const piece of pieces) {
      if (used + piece.length * 3 > BATCH) {
        await write(buffer.subarray(0, used));
        used = 0;
      }
      if (piece.length * 3 > BATCH) await write(Buffer.from(piece, "utf8"));
      else used += buffer.write(piece, used, "utf8");
    }
    await write(buffer.subarray(0, used));
    await handle.sync();
  } finally {
    await handle.close();
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
