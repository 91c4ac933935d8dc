import { z } from "zod";
import { EckidConfigSchema } from "../eckid/config.js";
import { OperationKindSchema } from "../model/operation.js";
import { ReportConfigSchema } from "./report.js";
import { StateConfigSchema } from "./state.js";

const oneOrMany = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .transform((v) => (Array.isArray(v) ? v : [v]));

/** Who a stage is about. Fields combine with AND; values within a field with OR. */
export const SelectSchema = z.strictObject({
  all: z.boolean().optional(),
  group: oneOrMany.optional(),
  role: oneOrMany.optional(),
  affiliation: oneOrMany.optional(),
  brin: oneOrMany.optional(),
  source: oneOrMany.optional(),
  ids: z.array(z.string().min(1)).optional(),
});
export type Select = z.infer<typeof SelectSchema>;

export const DEFAULT_ALLOW = [
  "create",
  "update",
  "rename",
  "enable",
  "disable",
  "add-members",
  "remove-members",
] as const;

export const StageSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, "letters, digits, '.', '_' or '-'"),
  description: z.string().optional(),
  select: SelectSchema.default({}),
  /** The operation kinds the stage may plan; `adopt` is consent to take over unmanaged objects. */
  allow: z
    .array(z.union([OperationKindSchema, z.literal("adopt")]))
    .min(1)
    .default([...DEFAULT_ALLOW]),
});
export type Stage = z.infer<typeof StageSchema>;

const LimitSchema = z.strictObject({
  count: z.number().int().nonnegative(),
  percent: z.number().nonnegative().max(100),
});
export type Limit = z.infer<typeof LimitSchema>;

const KindLimitsSchema = z.strictObject({
  maxDisables: LimitSchema.default({ count: 50, percent: 5 }),
  maxDeletes: LimitSchema.default({ count: 10, percent: 1 }),
});

export const SafetySchema = z.strictObject({
  person: KindLimitsSchema.default({
    maxDisables: { count: 50, percent: 5 },
    maxDeletes: { count: 10, percent: 1 },
  }),
  group: KindLimitsSchema.default({
    maxDisables: { count: 50, percent: 5 },
    maxDeletes: { count: 10, percent: 1 },
  }),
  identityKeys: z
    .array(z.string())
    .default(["uid", "schacHomeOrganization", "eduPersonPrincipalName", "eckId"]),
});
export type Safety = z.infer<typeof SafetySchema>;

export const DisableSchema = z.strictObject({
  attribute: z.string().default("schacUserStatus"),
  value: z.string().default("urn:schac:userStatus:nl:overstap:disabled"),
  purgeAttribute: z.string().default("schacExpiryDate"),
  purgeAfterDays: z.number().int().positive().default(90),
  /** Object classes that hold those attributes; added (never removed) on disable. */
  objectClasses: z.array(z.string()).default(["schacUserEntitlements", "schacEntryMetadata"]),
});
export type Disable = z.infer<typeof DisableSchema>;

/**
 * One rule of `protect.objects`: an object at this DN, every object in this subtree (the DN
 * itself included), or every object whose `attribute` holds `value` (ignoring case).
 */
export const ProtectRuleSchema = z.union([
  z.strictObject({ dn: z.string().min(1) }),
  z.strictObject({ subtree: z.string().min(1) }),
  z.strictObject({ attribute: z.string().min(1), value: z.string().min(1) }),
]);
export type ProtectRule = z.infer<typeof ProtectRuleSchema>;

/**
 * What Overstap never changes, even with consent: the objects `objects` matches, and, unless
 * `unmanagedGroups` is false, every group it did not create (no member is ever added to or
 * removed from a hand-made group). Unmanaged objects that are not protected can be adopted with
 * consent (docs/profiles.md, "Ownership").
 */
export const ProtectSchema = z.strictObject({
  unmanagedGroups: z.boolean().default(true),
  objects: z.array(ProtectRuleSchema).default([]),
});
export type Protect = z.infer<typeof ProtectSchema>;

const ConnectorConfigSchema = z.looseObject({ type: z.string().min(1) });

/**
 * A target attribute to correlate by when the anchor finds no entry (ePPN, mail, pupil number),
 * with the confidence reported on a link it makes. Values are trimmed, and compared
 * case-insensitively unless `match: exact`.
 */
export const CorrelationKeySchema = z.strictObject(
  {
    attribute: z.string().min(1),
    confidence: z.number().min(0).max(1),
    match: z.enum(["ignore-case", "exact"]).default("ignore-case"),
  },
  {
    error: (issue) =>
      issue.code === "invalid_type"
        ? "a correlation key is an object such as { attribute: mail, confidence: 0.8 }"
        : undefined,
  },
);
export type CorrelationKey = z.infer<typeof CorrelationKeySchema>;

/**
 * How mapped persons are matched with entries already in the target: by `anchor` (the attribute
 * holding the person's opaque source anchor), else the entry at the same key without an anchor,
 * else by each of `keys` in order. A link by a key whose confidence is below `reviewBelow` is
 * reported as a warning.
 */
export const CorrelationSchema = z.strictObject({
  anchor: z.string().min(1).default("eduPersonUniqueId"),
  keys: z.array(CorrelationKeySchema).default([]),
  reviewBelow: z.number().min(0).max(1).default(0),
});
export type Correlation = z.infer<typeof CorrelationSchema>;

export const ConfigSchema = z.strictObject({
  institution: z.strictObject({
    name: z.string().min(1),
    realm: z.string().min(1),
    schacHomeOrganization: z.string().min(1).optional(),
    brin: oneOrMany.optional(),
  }),
  profile: z.string().default("entree"),
  vars: z.record(z.string(), z.string()).default({}),
  sources: z.record(
    z.string().regex(/^[a-z][a-z0-9_-]*$/, "lower-case letters, digits, '_' or '-'"),
    ConnectorConfigSchema,
  ),
  target: ConnectorConfigSchema,
  mapping: z.string().min(1),
  stages: z.array(StageSchema).min(1),
  correlation: CorrelationSchema.default({ anchor: "eduPersonUniqueId", keys: [], reviewBelow: 0 }),
  identifiers: z.array(z.string().min(1)).default(["uid"]),
  groups: z
    .strictObject({
      memberAttribute: z.string().default("member"),
      manage: z.boolean().default(true),
    })
    .default({ memberAttribute: "member", manage: true }),
  disable: DisableSchema.default({
    attribute: "schacUserStatus",
    value: "urn:schac:userStatus:nl:overstap:disabled",
    purgeAttribute: "schacExpiryDate",
    purgeAfterDays: 90,
    objectClasses: ["schacUserEntitlements", "schacEntryMetadata"],
  }),
  safety: SafetySchema.default({
    person: { maxDisables: { count: 50, percent: 5 }, maxDeletes: { count: 10, percent: 1 } },
    group: { maxDisables: { count: 50, percent: 5 }, maxDeletes: { count: 10, percent: 1 } },
    identityKeys: ["uid", "schacHomeOrganization", "eduPersonPrincipalName", "eckId"],
  }),
  protect: ProtectSchema.default({ unmanagedGroups: true, objects: [] }),
  /** `required`: apply refuses a plan without an approval (`overstap approve`) of its fingerprint. */
  approval: z.enum(["optional", "required"]).default("optional"),
  execution: z
    .strictObject({
      concurrency: z.number().int().min(1).max(256).default(8),
      ratePerSecond: z.number().positive().optional(),
      batchSize: z.number().int().min(1).max(10_000).default(200),
    })
    .default({ concurrency: 8, batchSize: 200 }),
  /** Where the project keeps its state: SQLite (default) or PostgreSQL; see ./state.ts. */
  state: StateConfigSchema.default({ sqlite: ".overstap/state.db" }),
  /** The Nummervoorziening (ECK iD service); see docs/eckid.md. */
  eckid: EckidConfigSchema.optional(),
  /** Board reports: when a plan is ready, small counts, role labels (docs/report-format.md). */
  report: ReportConfigSchema.default({ maxLeftOutPercent: 5, minCount: 5, roles: {} }),
});
export type Config = z.infer<typeof ConfigSchema>;
