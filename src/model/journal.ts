import { z } from "zod";
import { expectedAfter } from "./entry.js";
import { OperationSchema } from "./operation.js";
import { type TargetEntry, TargetEntrySchema } from "./target-entry.js";

export const RunStatusSchema = z.enum(["running", "completed", "failed", "interrupted"]);
export type RunStatus = z.infer<typeof RunStatusSchema>;

/** One execution of a plan (an apply or a rollback). */
export const RunSchema = z.object({
  id: z.string(),
  planId: z.string(),
  planHash: z.string(),
  planFile: z.string(),
  stage: z.string(),
  stageIndex: z.number().int(),
  kind: z.enum(["migrate", "rollback"]),
  rollbackOf: z.string().optional(),
  status: RunStatusSchema,
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  total: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  /** Who runs it: the process, its host and the operating-system user (absent in older runs). */
  pid: z.number().int().optional(),
  host: z.string().optional(),
  user: z.string().optional(),
  /** Who ran it, as given with `--by NAME` (team mode: the person behind a shared account). */
  by: z.string().optional(),
});
export type Run = z.infer<typeof RunSchema>;

const RecordBase = { runId: z.string(), seq: z.number().int(), at: z.string() };

/** Written durably before the operation is sent: the operation and the object's before-image. */
export const BeginRecordSchema = z.object({
  ...RecordBase,
  phase: z.literal("begin"),
  op: OperationSchema,
  before: TargetEntrySchema.nullable().optional(),
});
export type BeginRecord = z.infer<typeof BeginRecordSchema>;

/**
 * Written once the target confirmed the operation. `after` is the after-image, present only
 * when it differs from what the begin record predicts (`expectedAfter(op, before)`); the
 * operation itself is in the begin record of the same `seq`.
 */
export const DoneRecordSchema = z.object({
  ...RecordBase,
  phase: z.literal("done"),
  after: TargetEntrySchema.nullable().optional(),
});
export type DoneRecord = z.infer<typeof DoneRecordSchema>;

/** Written when the target refused the operation, with the error. */
export const FailedRecordSchema = z.object({
  ...RecordBase,
  phase: z.literal("failed"),
  error: z.object({ code: z.string(), message: z.string() }),
});
export type FailedRecord = z.infer<typeof FailedRecordSchema>;

/**
 * A journal record. `begin` is written durably before the operation is sent, with the
 * before-image of the object; `done` after the target confirmed it; `failed` with the error.
 * Every `done` and `failed` record follows a `begin` record of the same run and `seq`, which
 * holds the operation. Rollback is built from these images (see {@link afterImage}).
 */
export const JournalRecordSchema = z.discriminatedUnion("phase", [
  BeginRecordSchema,
  DoneRecordSchema,
  FailedRecordSchema,
]);
export type JournalRecord = z.infer<typeof JournalRecordSchema>;

/**
 * The object as a confirmed operation left it: the done record's `after` when it has one,
 * else what the begin record predicts. Journals written before done records were slimmed
 * always carry `after`.
 * @example const after = afterImage(begin, done); // null: the operation removed the object
 */
export function afterImage(begin: BeginRecord, done: DoneRecord): TargetEntry | null {
  return done.after !== undefined ? done.after : expectedAfter(begin.op, begin.before ?? null);
}
