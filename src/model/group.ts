import { z } from "zod";
import { ExtValueSchema } from "./person.js";

export const GroupKindSchema = z.enum(["class", "team", "staff", "security"]);
export type GroupKind = z.infer<typeof GroupKindSchema>;

/**
 * A group as sources deliver it. `members` and `owners` hold ids of persons or groups of the
 * same source; nested groups are resolved by the planner (cycles tolerated).
 */
export const GroupSchema = z.object({
  source: z.string().min(1),
  id: z.string().min(1),
  name: z.string().min(1),
  displayName: z.string().optional(),
  kind: GroupKindSchema.default("security"),
  brin: z.string().optional(),
  members: z.array(z.string()).default([]),
  owners: z.array(z.string()).default([]),
  ext: z.record(z.string(), ExtValueSchema).default({}),
});
export type Group = z.infer<typeof GroupSchema>;
export type GroupInput = z.input<typeof GroupSchema>;
