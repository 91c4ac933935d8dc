import { z } from "zod";
import { SecretRefSchema } from "../../src/config/secret.js";

const httpsUrl = z
  .string()
  .url()
  .refine((u) => u.startsWith("https://"), "must be an https:// URL (Google's endpoints require TLS)")
  .transform((u) => u.replace(/\/+$/, ""));

const fieldName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, "a custom schema or field name");

/** Where the Entree facts live on a user: one custom schema and four of its fields. */
const CustomSchemaSchema = z
  .strictObject({
    name: fieldName.default("EntreeFederatie"),
    brin: fieldName.default("BRIN"),
    schoolName: fieldName.default("Schoolnaam"),
    number: fieldName.default("Leerlingnummer"),
    role: fieldName.default("Rol"),
  })
  .default({
    name: "EntreeFederatie",
    brin: "BRIN",
    schoolName: "Schoolnaam",
    number: "Leerlingnummer",
    role: "Rol",
  });

/** The `sources.<name>` section of a Google Workspace source. */
export const GoogleConfigSchema = z.strictObject({
  type: z.literal("google"),
  /** The service account's JSON key, from a file or an environment variable; never inline. */
  key: SecretRefSchema,
  /** The admin the service account acts as (domain-wide delegation). */
  subject: z.string().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, "the e-mail address of an admin"),
  customer: z.string().min(1).default("my_customer"),
  /** Only users (and groups) of these domains; each is listed on its own (`domain=`). */
  domains: z.array(z.string().min(1)).min(1).optional(),
  /** Org-unit subtrees to read, each its own chain of pages; `/` is the whole account. */
  orgUnits: z.array(z.string().regex(/^\//, "an org-unit path, starting with /")).min(1).default(["/"]),
  /** Only these groups (e-mail address or id) and the groups nested in them, and their members. */
  groups: z.array(z.string().min(1)).min(1).optional(),
  tokenUrl: httpsUrl.default("https://oauth2.googleapis.com/token"),
  baseUrl: httpsUrl.default("https://admin.googleapis.com/admin/directory/v1"),
  customSchema: CustomSchemaSchema,
  /** A CUSTOMER member (everyone in the account): make every user a member, or only report it. */
  customerMembers: z.enum(["expand", "report"]).default("report"),
  concurrency: z.number().int().min(1).max(64).default(8),
  /** The queries the service account may make per window (default: Google's 2,400 per minute per user). */
  quota: z
    .strictObject({
      queries: z.number().int().min(1).max(1_000_000).default(2400),
      windowSeconds: z.number().int().min(1).max(3600).default(60),
    })
    .default({ queries: 2400, windowSeconds: 60 }),
  timeoutMs: z.number().int().min(100).default(30_000),
  /** Retries of one request after throttling, server errors, timeouts and network errors. */
  retries: z.number().int().min(0).max(20).default(8),
  /** Times one chain of pages is started again after its page token died (Google ends them after 60 min). */
  restarts: z.number().int().min(0).max(10).default(3),
  /** Users per page (`maxResults`, at most 500). */
  userPageSize: z.number().int().min(1).max(500).default(500),
  /** Groups and members per page (`maxResults`, at most 200). */
  groupPageSize: z.number().int().min(1).max(200).default(200),
});

export type GoogleConfig = z.infer<typeof GoogleConfigSchema>;

/** The read-only scopes the connector asks for. */
export const SCOPES = [
  "https://www.googleapis.com/auth/admin.directory.user.readonly",
  "https://www.googleapis.com/auth/admin.directory.group.readonly",
  "https://www.googleapis.com/auth/admin.directory.group.member.readonly",
];
