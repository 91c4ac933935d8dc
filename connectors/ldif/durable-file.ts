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
 * Writes `pieces` to `file` (created with mode 0600, replaced if present) and fsyncs it.
 * Returns the SHA-256 (hex) of the bytes written.
 */
export async function writeSynced(file: string, pieces: Iterable<string>): Promise<string> {
  const hash = createHash("sha256");
  const handle = await open(file, "w", PRIVATE_MODE);
  try {
    await handle.chmod(PRIVATE_MODE);
    let batch = "";
    const write = async () => {
      const bytes = Buffer.from(batch, "utf8");
      hash.update(bytes);
      await handle.write(bytes);
      batch = "";
    };
    for (const piece of pieces) {
      batch += piece;
      if (batch.length >= BATCH) await write();
    }
    await write();
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
