import { z } from "zod";

/** The `target:` section of an LDIF target. */
export const LdifTargetConfigSchema = z.strictObject({
  type: z.literal("ldif"),
  file: z.string().min(1),
  personClasses: z.array(z.string().min(1)).min(1).default(["inetOrgPerson"]),
  groupClasses: z.array(z.string().min(1)).min(1).default(["groupOfNames", "groupOfUniqueNames"]),
});
export type LdifTargetConfig = z.infer<typeof LdifTargetConfigSchema>;
