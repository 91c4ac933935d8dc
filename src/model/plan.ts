import { z } from "zod";
import { OperationKindSchema } from "./operation.js";

export const PLAN_FORMAT = "overstap-plan";
export const PLAN_VERSION = 1;

/** Counts per object type and operation kind, e.g. `{ person: { create: 12 } }`. */
export const SummarySchema = z.object({
  person: z.partialRecord(OperationKindSchema, z.number().int()),
  group: z.partialRecord(OperationKindSchema, z.number().int()),
  identityChanges: z.number().int(),
  /** Operations marked `adopt`: objects Overstap takes over (plans before this field: 0). */
  adoptions: z.number().int().default(0),
  /** Persons of the stage disabled at the source without an account in the target: not created (plans before this field: 0). */
  sourceDisabled: z.number().int().optional(),
  review: z.object({ error: z.number().int(), warning: z.number().int() }),
  unchanged: z.object({ person: z.number().int(), group: z.number().int() }),
  population: z.object({ person: z.number().int(), group: z.number().int() }),
  target: z.object({ person: z.number().int(), group: z.number().int() }),
});
export type Summary = z.infer<typeof SummarySchema>;

/**
 * A summary of nothing: no operations, no review items, nothing unchanged, an empty target.
 *
 * @example
 * const summary = { ...emptySummary(), review: { error: 2, warning: 0 } };
 */
export function emptySummary(): Summary {
  return {
    person: {},
    group: {},
    identityChanges: 0,
    adoptions: 0,
    review: { error: 0, warning: 0 },
    unchanged: { person: 0, group: 0 },
    population: { person: 0, group: 0 },
    target: { person: 0, group: 0 },
  };
}

/**
 * The first line of a plan file: what the plan is about. Operations and review items follow
 * one per line, and a trailer with the content hash closes the file (docs/plan-format.md).
 */
export const PlanHeaderSchema = z.object({
  format: z.literal(PLAN_FORMAT),
  version: z.literal(PLAN_VERSION),
  id: z.string(),
  createdAt: z.string(),
  stage: z.string(),
  stageIndex: z.number().int().nonnegative(),
  kind: z.enum(["migrate", "rollback"]),
  rollbackOf: z.string().optional(),
  institution: z.string(),
  profile: z.string(),
  target: z.string(),
  inputs: z.object({
    snapshot: z.string(),
    mapping: z.string(),
    config: z.string(),
    target: z.string(),
  }),
  /** Which project made the plan: its state store's id and the target's identity (docs/plan-format.md). */
  project: z.object({ store: z.string(), target: z.string() }).optional(),
  summary: SummarySchema,
});
export type PlanHeader = z.infer<typeof PlanHeaderSchema>;

export const PlanTrailerSchema = z.object({
  end: z.literal(true),
  operations: z.number().int(),
  review: z.number().int(),
  hash: z.string(),
  /** HMAC-SHA-256 of the same bytes under the project's plan key (docs/plan-format.md). */
  mac: z.string().optional(),
});
export type PlanTrailer = z.infer<typeof PlanTrailerSchema>;
