import { z } from "zod";
import { RunStatusSchema } from "../model/journal.js";
import { OperationKindSchema } from "../model/operation.js";
import { ObjectTypeSchema } from "../model/target-entry.js";

export const REPORT_FORMAT = "overstap-report";
export const REPORT_VERSION = 2;

/** Counts per operation kind, e.g. `{ create: 12, disable: 3 }`; absent kinds are zero. */
export const KindCountsSchema = z.partialRecord(OperationKindSchema, z.number().int().nonnegative());
export type KindCounts = z.infer<typeof KindCountsSchema>;

/** One school (BRIN, or `null` when unknown) × role (`null` when unknown) cell of the plan. */
export const SchoolRoleRowSchema = z.object({
  role: z.string().nullable(),
  counts: KindCountsSchema,
  total: z.number().int().nonnegative(),
});
export type SchoolRoleRow = z.infer<typeof SchoolRoleRowSchema>;

export const SchoolRowSchema = z.object({
  school: z.string().nullable(),
  /** The school's name as its accounts carry it (`nlEduPersonHomeOrganization`), when known. */
  name: z.string().nullable(),
  counts: KindCountsSchema,
  total: z.number().int().nonnegative(),
  roles: z.array(SchoolRoleRowSchema),
});
export type SchoolRow = z.infer<typeof SchoolRowSchema>;

/**
 * Review items of one rule, aggregated: how many findings (`count`), about how many distinct
 * records (`records`), of which severity, on which fields.
 */
export const RuleGroupSchema = z.object({
  rule: z.string(),
  severity: z.enum(["error", "warning"]),
  count: z.number().int().nonnegative(),
  records: z.number().int().nonnegative(),
  fields: z.array(z.string()),
});
export type RuleGroup = z.infer<typeof RuleGroupSchema>;

/**
 * A configured safety limit against what the plan does: `actual` objects of `type` get `kind`,
 * `percent` of the `base` objects of that type in the target. `exceeded` is what `plan` and
 * `apply` refuse on.
 */
export const ThresholdCheckSchema = z.object({
  type: ObjectTypeSchema,
  kind: z.enum(["disable", "delete"]),
  actual: z.number().int().nonnegative(),
  base: z.number().int().nonnegative(),
  percent: z.number().nonnegative(),
  maxCount: z.number().nonnegative(),
  maxPercent: z.number().nonnegative(),
  exceeded: z.boolean(),
});
export type ThresholdCheck = z.infer<typeof ThresholdCheckSchema>;

export const RisksSchema = z.object({
  identityChanges: z.object({
    count: z.number().int().nonnegative(),
    byAttribute: z.record(z.string(), z.number().int().nonnegative()),
  }),
  leftOut: z.object({ count: z.number().int().nonnegative(), byRule: z.array(RuleGroupSchema) }),
  warnings: z.object({ count: z.number().int().nonnegative(), byRule: z.array(RuleGroupSchema) }),
  /** Records that match more than one person or account (correlation candidates). */
  ambiguous: z.number().int().nonnegative(),
  /** Records left out because another person would get the same account or unique value. */
  sharedValues: z.number().int().nonnegative(),
  /** Operations on objects Overstap does not manage yet: applied only with consent. */
  adoptions: z.number().int().nonnegative(),
  missingEckId: z.object({
    students: z.number().int().nonnegative(),
    missing: z.number().int().nonnegative(),
  }),
  disables: z.object({
    person: z.number().int().nonnegative(),
    group: z.number().int().nonnegative(),
    earliestPurge: z.string().nullable(),
  }),
  deletes: z.object({ person: z.number().int().nonnegative(), group: z.number().int().nonnegative() }),
  thresholds: z.array(ThresholdCheckSchema),
});
export type Risks = z.infer<typeof RisksSchema>;

export const AttributeCoverageSchema = z.object({
  attr: z.string(),
  present: z.number().int().nonnegative(),
  percent: z.number().min(0).max(100),
});
export type AttributeCoverage = z.infer<typeof AttributeCoverageSchema>;

/** A required attribute that keeps persons from being ready, and how many. */
export const MissingAttributeSchema = z.object({
  attr: z.string(),
  persons: z.number().int().nonnegative(),
});

/**
 * How ready the persons of this stage are for the federation profile. `basis` counts the
 * persons to create plus the persons left out (distinct records with an error); `ready` are
 * the creates with every required attribute. `missing` lists, per required attribute (or
 * source field), the persons it keeps out. Coverage (`required`, `optional`) is measured on
 * the creates; `requiredRemoved` counts updates that remove a required attribute.
 */
export const ReadinessSchema = z.object({
  profile: z.string(),
  basis: z.number().int().nonnegative(),
  ready: z.number().int().nonnegative(),
  percent: z.number().min(0).max(100),
  creates: z.number().int().nonnegative(),
  leftOut: z.number().int().nonnegative(),
  missing: z.array(MissingAttributeSchema),
  required: z.array(AttributeCoverageSchema),
  optional: z.array(AttributeCoverageSchema),
  requiredRemoved: z.number().int().nonnegative(),
});
export type Readiness = z.infer<typeof ReadinessSchema>;

/** One person or group line, only present with `includeNames`. */
export const PersonLineSchema = z.object({
  seq: z.number().int().nonnegative(),
  kind: OperationKindSchema,
  type: ObjectTypeSchema,
  key: z.string(),
  name: z.string().nullable(),
  school: z.string().nullable(),
  role: z.string().nullable(),
  attrs: z.array(z.string()),
  identityChanges: z.array(z.string()),
});
export type PersonLine = z.infer<typeof PersonLineSchema>;

export const ReviewLineSchema = z.object({
  record: z.string(),
  field: z.string().nullable(),
  rule: z.string(),
  severity: z.enum(["error", "warning"]),
  reason: z.string(),
  candidates: z.array(z.string()),
});
export type ReviewLine = z.infer<typeof ReviewLineSchema>;

/** Why a plan is not ready for approval; `count` objects or persons, `percent` against `limit`. */
export const VerdictReasonSchema = z.object({
  code: z.enum([
    "safety-exceeded",
    "no-safety-limits",
    "identity-changes",
    "adoptions",
    "deletes",
    "left-out",
    "required-missing",
    "required-removed",
  ]),
  count: z.number().int().nonnegative(),
  percent: z.number().nonnegative().optional(),
  limit: z.number().nonnegative().optional(),
});
export type VerdictReason = z.infer<typeof VerdictReasonSchema>;

/**
 * The first line of a plan report: `ready` (for approval), `not-ready` (with reasons) or
 * `refused` (a safety limit is exceeded: `plan` refused it and `apply` will).
 */
export const VerdictSchema = z.object({
  state: z.enum(["ready", "not-ready", "refused"]),
  reasons: z.array(VerdictReasonSchema),
});
export type Verdict = z.infer<typeof VerdictSchema>;

/** How the report shows what it counts: the smallest count shown exactly, role labels. */
export const DisplaySchema = z.object({
  /** Counts from 1 below this are shown as "< minCount" in reports without names. */
  minCount: z.number().int().positive(),
  /** Role value → the label the institution uses (overrides the built-in labels). */
  roles: z.record(z.string(), z.string()),
});
export type Display = z.infer<typeof DisplaySchema>;

export const PlanReportSchema = z.object({
  format: z.literal(REPORT_FORMAT),
  version: z.literal(REPORT_VERSION),
  kind: z.literal("plan"),
  plan: z.object({
    id: z.string(),
    createdAt: z.string(),
    stage: z.string(),
    stageIndex: z.number().int().nonnegative(),
    kind: z.enum(["migrate", "rollback"]),
    rollbackOf: z.string().nullable(),
    institution: z.string(),
    profile: z.string(),
    target: z.string(),
    inputs: z.record(z.string(), z.string()),
    file: z.string().nullable(),
    /** The plan's short fingerprint (`planFingerprint` of its content hash), when read from a file. */
    fingerprint: z.string().nullable(),
  }),
  verdict: VerdictSchema,
  display: DisplaySchema,
  /** What people will notice: the login attribute and the pattern of its values (from the mapping). */
  experience: z.object({ attribute: z.string(), pattern: z.string().nullable() }),
  totals: z.object({
    operations: z.number().int().nonnegative(),
    /** Distinct persons and groups with at least one operation. */
    persons: z.number().int().nonnegative(),
    groups: z.number().int().nonnegative(),
    /** Persons in the stage disabled at the source and not in the target: not created. */
    sourceDisabled: z.number().int().nonnegative(),
    person: KindCountsSchema,
    group: KindCountsSchema,
    unchanged: z.object({ person: z.number().int().nonnegative(), group: z.number().int().nonnegative() }),
    population: z.object({ person: z.number().int().nonnegative(), group: z.number().int().nonnegative() }),
    target: z.object({ person: z.number().int().nonnegative(), group: z.number().int().nonnegative() }),
  }),
  schools: z.array(SchoolRowSchema),
  risks: RisksSchema,
  readiness: ReadinessSchema.nullable(),
  names: z
    .object({
      operations: z.array(PersonLineSchema),
      review: z.array(ReviewLineSchema),
    })
    .nullable(),
});
export type PlanReport = z.infer<typeof PlanReportSchema>;

export const FailureGroupSchema = z.object({
  code: z.string(),
  count: z.number().int().nonnegative(),
});
export type FailureGroup = z.infer<typeof FailureGroupSchema>;

export const FailureLineSchema = z.object({
  seq: z.number().int().nonnegative(),
  kind: OperationKindSchema,
  type: ObjectTypeSchema,
  key: z.string(),
  code: z.string(),
  message: z.string(),
});
export type FailureLine = z.infer<typeof FailureLineSchema>;

export const RunReportSchema = z.object({
  format: z.literal(REPORT_FORMAT),
  version: z.literal(REPORT_VERSION),
  kind: z.literal("run"),
  run: z.object({
    id: z.string(),
    planId: z.string(),
    planFile: z.string(),
    stage: z.string(),
    kind: z.enum(["migrate", "rollback"]),
    rollbackOf: z.string().nullable(),
    status: RunStatusSchema,
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    total: z.number().int().nonnegative(),
  }),
  done: z.object({ person: KindCountsSchema, group: KindCountsSchema }),
  failed: z.object({ person: KindCountsSchema, group: KindCountsSchema }),
  counts: z.object({
    done: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    inDoubt: z.number().int().nonnegative(),
    notStarted: z.number().int().nonnegative(),
  }),
  failures: z.array(FailureGroupSchema),
  commands: z.object({ resume: z.string().nullable(), rollback: z.string().nullable() }),
  names: z.object({ failures: z.array(FailureLineSchema) }).nullable(),
});
export type RunReport = z.infer<typeof RunReportSchema>;

/** Either report; renderers accept both. */
export type Report = PlanReport | RunReport;
