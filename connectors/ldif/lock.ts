import { open, readFile, unlink } from "node:fs/promises";
import { OverstapError } from "../../src/errors.js";
import { PRIVATE_MODE } from "./durable-file.js";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the lock file `file` (holding this process id), so two processes never write the same
 * LDIF target. A lock left by a process that no longer runs is taken over. Returns the release.
 */
export async function acquireLock(file: string, what: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, "wx", PRIVATE_MODE);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => unlink(file).catch(() => undefined);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const pid = Number.parseInt(await readFile(file, "utf8").catch(() => ""), 10);
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
      throw new OverstapError(
        "TARGET_UNREACHABLE",
        `${what} is in use by process ${pid} (lock file ${file})`,
        {
          hint: "Wait for that run to finish. If no overstap process runs, remove the lock file.",
        },
      );
    }
    await unlink(file).catch(() => undefined);
  }
  throw new OverstapError("TARGET_UNREACHABLE", `${what}: cannot take the lock file ${file}`, {
    hint: "Another process keeps creating it; check for concurrent runs.",
  });
}
