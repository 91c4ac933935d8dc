import type { Run } from "../model/journal.js";

/** Who holds a target's apply lock, as the refused process is told. */
export interface LockHolder {
  user: string;
  host: string;
  pid: number;
  /** The run being applied, once it has an id. */
  runId?: string;
  /** `--by NAME`, when given. */
  by?: string;
  /** When the lock was taken (ISO time). */
  since: string;
}

/** A held apply lock of one target. */
export interface HeldLock {
  /** Records the run the lock is held for, so a refused process can name it. */
  holdFor(run: Run): Promise<void>;
  /** Frees the lock (closing the process, or its connection, frees it too). */
  release(): Promise<void>;
}

/**
 * The locks that keep one apply (or rollback) per target at a time, and no plan of a target
 * while an apply on it runs. Team mode holds them in PostgreSQL; the SQLite store keeps its
 * guard on the run records (a `running` run whose process lives).
 */
export interface TargetLocks {
  /** Takes the apply lock of `target`, or throws RUN_IN_PROGRESS naming its holder. */
  acquire(target: string, holder: LockHolder): Promise<HeldLock>;
  /** Throws RUN_IN_PROGRESS naming the holder when an apply on `target` runs. */
  assertFree(target: string): Promise<void>;
}

/** The locks of a store that has none of its own: always free. */
export const NO_LOCKS: TargetLocks = {
  acquire: async () => ({ holdFor: async () => {}, release: async () => {} }),
  assertFree: async () => {},
};

/**
 * How a holder is named to whoever is refused.
 * @example describeHolder(h) // "anna@laptop-3 (Anna de Vries), run 20261207-…, since 2026-12-07T14:03:05Z"
 */
export function describeHolder(h: LockHolder): string {
  const who = `${h.user}@${h.host}${h.by ? ` (${h.by})` : ""}`;
  return `${who}, ${h.runId ? `run ${h.runId}` : "starting a run"}, process ${h.pid}, since ${h.since}`;
}
