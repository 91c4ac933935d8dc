import { z } from "zod";
import { OperationSchema } from "./operation.js";
import { TargetEntrySchema } from "./target-entry.js";

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
});
export type Run = z.infer<typeof RunSchema>;

/**
 * A journal record. `begin` is written durably before the operation is sent, with the
 * before-image of the object; `done` after the target confirmed it, with the after-image;
 * `failed` with the error. Rollback is built from these images.
 */
export const JournalRecordSchema = z.object({
  runId: z.string(),
  seq: z.number().int(),
  phase: z.enum(["begin", "done", "failed"]),
  at: z.string(),
  op: OperationSchema,
  before: TargetEntrySchema.nullable().optional(),
  after: TargetEntrySchema.nullable().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type JournalRecord = z.infer<typeof JournalRecordSchema>;
