import { z } from "zod";
import { SecretRefSchema } from "../../src/config/secret.js";

const DnSchema = z.string().min(1, "a DN such as ou=people,dc=example,dc=nl");

const DisableSchema = z
  .strictObject({
    strategy: z.enum(["attribute", "ou"]),
    attribute: z.string().min(1).default("schacUserStatus"),
    value: z.string().min(1).default("disabled"),
    ou: DnSchema.optional(),
    purgeAttribute: z.string().min(1).optional(),
  })
  .refine((d) => d.strategy !== "ou" || d.ou !== undefined, {
    message: "disable.ou is required when disable.strategy is ou",
    path: ["ou"],
  });

const RetrySchema = z.strictObject({
  attempts: z.number().int().min(1).max(100).default(10),
  baseMs: z.number().int().min(1).default(100),
  maxMs: z.number().int().min(1).default(5_000),
  totalMs: z.number().int().min(1).default(120_000),
});

/**
 * The `target:` section for an LDAP directory. `url` is `ldaps://host[:port]` or
 * `ldap://host[:port]` (then `startTls: true`, a loopback host, or `allowInsecure: true`).
 */
export const LdapConfigSchema = z.strictObject({
  type: z.literal("ldap"),
  url: z.string().regex(/^ldaps?:\/\/[^/?#]+\/?$/i, "an LDAP URL such as ldaps://idp.example.nl"),
  baseDn: DnSchema,
  peopleBase: DnSchema.optional(),
  groupsBase: DnSchema.optional(),
  bindDn: DnSchema,
  bindPassword: SecretRefSchema,
  startTls: z.boolean().default(false),
  caFile: z.string().min(1).optional(),
  allowInsecure: z.boolean().default(false),
  groupClass: z.enum(["groupOfNames", "groupOfUniqueNames"]).default("groupOfNames"),
  personClasses: z
    .array(z.string().min(1))
    .min(1)
    .default(["inetOrgPerson", "organizationalPerson", "person"]),
  ignoreAttributes: z.array(z.string().min(1)).default(["userPassword"]),
  pageSize: z.number().int().min(1).max(10_000).default(250),
  timeoutMs: z.number().int().min(100).default(30_000),
  memberChunk: z.number().int().min(1).default(1000),
  retry: RetrySchema.default({ attempts: 10, baseMs: 100, maxMs: 5_000, totalMs: 120_000 }),
  /** How this directory marks a disabled account; without it, the top-level `disable:` section. */
  disable: DisableSchema.optional(),
});
export type LdapConfig = z.infer<typeof LdapConfigSchema>;
/** The retry policy for connection loss: attempts, backoff base and cap, total time. */
export type RetryPolicy = LdapConfig["retry"];
