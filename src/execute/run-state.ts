import { hostname, userInfo } from "node:os";
import type { Run, RunStatus } from "../model/journal.js";

/** Who runs a run: this process, this host and the operating-system user. */
export function runOwner(): Required<Pick<Run, "pid" | "host" | "user">> {
  let user = process.env.USER ?? "";
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): $USER, as the shell has it.
  }
  return { pid: process.pid, host: hostname(), user };
}

/** The runs this process is executing now. */
const active = new Set<string>();

/**
 * Runs `fn` with run `id` counted as executing in this process: a run of this process that is
 * not (its apply threw, or returned) is not running, whatever its record says.
 */
export async function executing<T>(id: string, fn: () => Promise<T>): Promise<T> {
  active.add(id);
  try {
    return await fn();
  } finally {
    active.delete(id);
  }
}

/** True when process `pid` runs on this host (EPERM: it runs, as another user). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The run's status as it really is: a run recorded as `running` whose process on this host no
 * longer runs was interrupted (killed, or its machine restarted), whatever the record says.
 * A run started on another host keeps its recorded status: its process cannot be seen from here.
 * @example if (liveStatus(run) === "interrupted") console.log(`resume ${run.id}`)
 */
export function liveStatus(run: Run): RunStatus {
  if (run.status !== "running" || run.pid === undefined || run.host !== hostname()) return run.status;
  const running = run.pid === process.pid ? active.has(run.id) : processAlive(run.pid);
  return running ? "running" : "interrupted";
}
