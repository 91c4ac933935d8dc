import type { FailedRecord, JournalRecord, Run } from "../model/journal.js";
import type { Operation } from "../model/operation.js";
import {
  type FailureLine,
  type KindCounts,
  REPORT_FORMAT,
  REPORT_VERSION,
  type RunReport,
} from "./schema.js";
import { shellQuote } from "./shell-quote.js";

export interface RunReportOptions {
  /** Adds the failed objects' keys and error messages (for IT staff; off for board reports). */
  includeNames?: boolean;
}

interface Last {
  phase: JournalRecord["phase"];
  op: Operation;
  error: FailedRecord["error"] | undefined;
}

/**
 * Summarises what an apply or rollback did from its journal: done and failed operations per
 * object type and kind, operations begun but never confirmed (in doubt), failures grouped by
 * error code, and the exact commands to resume or roll back. A resumed operation counts as done
 * once it has a done record, else by its last journal record; the operation comes from its
 * begin record.
 *
 * @example
 * const report = buildRunReport(run, store.journal(run.id));
 * console.log(report.commands.resume); // overstap apply plans/pilot.jsonl --resume r-42
 */
export function buildRunReport(
  run: Run,
  journal: Iterable<JournalRecord>,
  options: RunReportOptions = {},
): RunReport {
  const last = new Map<number, Last>();
  for (const rec of journal) {
    if (rec.runId !== run.id) continue;
    const seen = last.get(rec.seq);
    // Done is final: the executor never runs a done operation again. A store may hand the
    // records of one operation in key order (begin, done, failed) rather than the order they
    // were written, so an earlier failure can come after the done of its resumed attempt.
    if (seen?.phase === "done") continue;
    const op = rec.phase === "begin" ? rec.op : seen?.op;
    if (!op) continue;
    last.set(rec.seq, { phase: rec.phase, op, error: rec.phase === "failed" ? rec.error : undefined });
  }
  const done = { person: {} as KindCounts, group: {} as KindCounts };
  const failed = { person: {} as KindCounts, group: {} as KindCounts };
  const byCode = new Map<string, number>();
  const lines: FailureLine[] = [];
  let doneCount = 0;
  let failedCount = 0;
  let inDoubt = 0;
  for (const [seq, rec] of [...last.entries()].sort(([a], [b]) => a - b)) {
    if (rec.phase === "done") {
      doneCount++;
      bump(done[rec.op.type], rec.op.kind);
    } else if (rec.phase === "failed") {
      failedCount++;
      bump(failed[rec.op.type], rec.op.kind);
      const code = rec.error?.code ?? "UNKNOWN";
      byCode.set(code, (byCode.get(code) ?? 0) + 1);
      if (options.includeNames) {
        lines.push({
          seq,
          kind: rec.op.kind,
          type: rec.op.type,
          key: rec.op.key,
          code,
          message: rec.error?.message ?? "",
        });
      }
    } else {
      inDoubt++;
    }
  }
  const unfinished = run.status !== "completed" || failedCount > 0 || inDoubt > 0;
  const notStarted = Math.max(0, run.total - last.size);
  return {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    kind: "run",
    run: {
      id: run.id,
      planId: run.planId,
      planFile: run.planFile,
      stage: run.stage,
      kind: run.kind,
      rollbackOf: run.rollbackOf ?? null,
      status: run.status,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt ?? null,
      total: run.total,
    },
    done,
    failed,
    counts: { done: doneCount, failed: failedCount, inDoubt, notStarted },
    failures: [...byCode.entries()]
      .map(([code, count]) => ({ code, count }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    commands: {
      resume: unfinished ? `overstap apply ${shellQuote(run.planFile)} --resume ${shellQuote(run.id)}` : null,
      rollback: doneCount > 0 || inDoubt > 0 ? `overstap rollback ${shellQuote(run.id)}` : null,
    },
    names: options.includeNames ? { failures: lines } : null,
  };
}

function bump(counts: KindCounts, kind: Operation["kind"]): void {
  counts[kind] = (counts[kind] ?? 0) + 1;
}
