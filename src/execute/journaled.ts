import type { BeginRecord, DoneRecord, FailedRecord } from "../model/journal.js";
import type { StateStore } from "../state/store.js";

/** What a run's journal holds about one operation: its begin record, and whether (how) it ended. */
export interface JournaledOp {
  begin?: BeginRecord;
  done?: DoneRecord;
  /** The last refusal, if the target refused it (a resumed run may have done it later). */
  failed?: FailedRecord;
}

/**
 * A run's journal by operation (`seq`): the one place that reads it back, for resuming,
 * rolling back and advising after failures.
 * @example const ops = await journaledOps(store, run.id); const done = [...ops.values()].filter((o) => o.done)
 */
export async function journaledOps(
  store: Pick<StateStore, "readJournal">,
  runId: string,
): Promise<Map<number, JournaledOp>> {
  const ops = new Map<number, JournaledOp>();
  for await (const rec of store.readJournal(runId)) {
    const op = ops.get(rec.seq) ?? {};
    if (rec.phase === "begin") op.begin = rec;
    else if (rec.phase === "done") op.done = rec;
    else op.failed = rec;
    ops.set(rec.seq, op);
  }
  return ops;
}

/**
 * The error codes of a run's operations that failed and were not done later, with their counts.
 * @example const codes = await failureCodes(store, run.id) // Map { "TARGET_UNREACHABLE" => 3 }
 */
export async function failureCodes(store: StateStore, runId: string): Promise<Map<string, number>> {
  const codes = new Map<string, number>();
  for (const op of (await journaledOps(store, runId)).values()) {
    const code = op.done ? undefined : op.failed?.error.code;
    if (code !== undefined) codes.set(code, (codes.get(code) ?? 0) + 1);
  }
  return codes;
}
