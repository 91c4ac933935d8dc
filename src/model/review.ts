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
  /** True when the stage does not select this person: the stage's counts leave the item out. */
  outsideStage: z.literal(true).optional(),
});
export type ReviewItem = z.infer<typeof ReviewItemSchema>;

/**
 * The distinct records of the stage left out with errors (items of persons outside the stage
 * do not count).
 *
 * @example
 * leftOutRecords(plan.review) // 4
 */
export function leftOutRecords(review: readonly ReviewItem[]): number {
  return new Set(review.filter((r) => r.severity === "error" && !r.outsideStage).map((r) => r.record)).size;
}

/**
 * Marks `items` as belonging to a person the stage does not select (when `selected` is false;
 * unknown or true leaves them counted).
 *
 * @example
 * markOutsideStage(review, m.selected);
 */
export function markOutsideStage(items: ReviewItem[], selected: boolean | undefined): ReviewItem[] {
  if (selected === false) for (const item of items) item.outsideStage = true;
  return items;
}
