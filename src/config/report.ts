import { z } from "zod";

/**
 * How board reports judge and show a plan (`report:` of overstap.yaml): the share of a
 * stage's persons that may be left out before the plan is "not ready", the smallest count
 * shown exactly in reports without names, and the institution's own role labels.
 */
export const ReportConfigSchema = z.strictObject({
  maxLeftOutPercent: z.number().min(0).max(100).default(5),
  minCount: z.number().int().min(1).max(100).default(5),
  roles: z.record(z.string(), z.string().min(1)).default({}),
});
export type ReportConfig = z.infer<typeof ReportConfigSchema>;
