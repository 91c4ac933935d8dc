import { z } from "zod";
import { ObjectTypeSchema } from "./target-entry.js";

export const OperationKindSchema = z.enum([
  "create",
  "update",
  "rename",
  "disable",
  "enable",
  "delete",
  "add-members",
  "remove-members",
]);
export type OperationKind = z.infer<typeof OperationKindSchema>;

/**
 * A value-level change of one attribute. `add` ensures values are present, `remove` that they
 * are absent, `replace` sets the attribute to exactly these values (empty: remove it).
 * `from` records the values seen at plan time, for display only.
 */
export const AttrChangeSchema = z.object({
  attr: z.string().min(1),
  add: z.array(z.string()).optional(),
  remove: z.array(z.string()).optional(),
  replace: z.array(z.string()).optional(),
  from: z.array(z.string()).optional(),
});
export type AttrChange = z.infer<typeof AttrChangeSchema>;

/**
 * One planned write. Every kind is idempotent: applying it to a target that already shows
 * its effect changes nothing.
 * - `create`: `attrs` is the whole new entry at `key`; `fingerprint` is null (must not exist).
 * - `update` / `disable` / `enable` / `add-members` / `remove-members`: `changes` on `key`.
 * - `rename`: moves `key` to `newKey`, then applies `changes` if any.
 * - `delete`: removes `key`.
 * `fingerprint` is the hash of the target object as the plan saw it; apply refuses the plan
 * when the object has changed since. `adopt` marks the first operation on an object Overstap
 * does not manage yet.
 */
export const OperationSchema = z.object({
  seq: z.number().int().nonnegative(),
  kind: OperationKindSchema,
  type: ObjectTypeSchema,
  key: z.string().min(1),
  newKey: z.string().optional(),
  ref: z.string().optional(),
  attrs: z.record(z.string(), z.array(z.string())).optional(),
  changes: z.array(AttrChangeSchema).optional(),
  fingerprint: z.string().nullable(),
  identityChanges: z.array(z.string()).optional(),
  /**
   * The operation changes an object Overstap does not manage (no anchor, not created by a run
   * recorded in the state): an adoption, applied only with explicit consent.
   */
  adopt: z.literal(true).optional(),
  purgeAfter: z.string().optional(),
  reason: z.string().optional(),
});
export type Operation = z.infer<typeof OperationSchema>;
