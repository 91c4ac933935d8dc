import { z } from "zod";

export const ObjectTypeSchema = z.enum(["person", "group"]);
export type ObjectType = z.infer<typeof ObjectTypeSchema>;

/**
 * An object in the target directory: its key (for LDAP targets the DN) and its attributes,
 * every attribute as a list of string values. Attribute names compare case-insensitively,
 * values exactly.
 */
export const TargetEntrySchema = z.object({
  key: z.string().min(1),
  type: ObjectTypeSchema,
  attrs: z.record(z.string(), z.array(z.string())),
});
export type TargetEntry = z.infer<typeof TargetEntrySchema>;
