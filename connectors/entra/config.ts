import { z } from "zod";
import { SecretRefSchema } from "../../src/config/secret.js";

const httpsUrl = z
  .string()
  .url()
  .refine(
    (u) => u.startsWith("https://"),
    "must be an https:// URL (Microsoft identity platform and Graph require TLS)",
  )
  .transform((u) => u.replace(/\/+$/, ""));

/** The `sources.<name>` section of an Entra ID source. */
export const EntraConfigSchema = z
  .strictObject({
    type: z.literal("entra"),
    tenantId: z.string().min(1),
    clientId: z.string().min(1),
    clientSecret: SecretRefSchema.optional(),
    certificate: z
      .strictObject({
        keyFile: z.string().min(1),
        certFile: z.string().min(1).optional(),
        thumbprint: z
          .string()
          .regex(
            /^([0-9A-Fa-f]{40}|[0-9A-Fa-f]{64})$/,
            "a hex SHA-1 (40) or SHA-256 (64) certificate thumbprint",
          )
          .optional(),
      })
      .refine(
        (c) => (c.certFile === undefined) !== (c.thumbprint === undefined),
        "give exactly one of certFile or thumbprint",
      )
      .optional(),
    authorityHost: httpsUrl.default("https://login.microsoftonline.com"),
    graphBaseUrl: httpsUrl.default("https://graph.microsoft.com/v1.0"),
    /** Extra user properties to read; they land in `ext` under their own name. */
    select: z.array(z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/, "a Graph user property name")).default([]),
    /** Directory extension attributes; they land in `ext` under the name after the app id (`eckId`). */
    extensionAttributes: z
      .array(
        z.string().regex(/^extension_[0-9a-f]{32}_[A-Za-z0-9_]+$/, "extension_<appIdWithoutDashes>_<name>"),
      )
      .default([]),
    /** Which user properties give the person's role: the first one that is set wins. */
    roleFrom: z
      .array(z.enum(["employeeType", "jobTitle", "department"]))
      .default(["employeeType", "jobTitle"]),
    scope: z
      .strictObject({
        domains: z.array(z.string().min(1)).min(1).optional(),
        groups: z.array(z.string().min(1)).min(1).optional(),
        administrativeUnits: z.array(z.string().min(1)).min(1).optional(),
      })
      .default({}),
    educationData: z.boolean().default(false),
    concurrency: z.number().int().min(1).max(64).default(8),
    budget: z
      .strictObject({ unitsPer10s: z.number().int().min(1).max(150_000) })
      .default({ unitsPer10s: 8000 }),
    timeoutMs: z.number().int().min(100).default(30_000),
    /** Retries of one request after throttling, timeouts and network errors. */
    retries: z.number().int().min(0).max(20).default(8),
    /** Objects per page (`$top`); Graph allows 1–999. */
    pageSize: z.number().int().min(1).max(999).default(999),
  })
  .refine((c) => (c.clientSecret === undefined) !== (c.certificate === undefined), {
    message: "give exactly one of clientSecret or certificate",
    path: ["clientSecret"],
  });

export type EntraConfig = z.infer<typeof EntraConfigSchema>;
