import { z } from "zod";

/**
 * One entry of a plan's review list: a record left out of the operations (severity `error`)
 * or reported for attention (`warning`). `record` names the source record (`source:id`, or
 * the line of a file) or the target key; `field` the field or attribute; `rule` a stable code.
 * Never carries a PGN/BSN or a secret.
 */
export const ReviewItemSchema = z.object({
  record: z.string(),
  field: z.string().optional(),
  rule: z.string(),
  reason: z.string(),
  severity: z.enum(["error", "warning"]),
  candidates: z.array(z.string()).optional(),
});
export type ReviewItem = z.infer<typeof ReviewItemSchema>;
