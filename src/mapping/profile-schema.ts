import { z } from "zod";
import { isFormatName } from "./profile-formats.js";

/** One entry of the attribute dictionary (`mappings/profiles/attributes.yaml`). */
export const DictionaryEntrySchema = z.strictObject({
  saml: z.string().min(1),
  oid: z
    .string()
    .regex(/^\d+(\.\d+)+$/, "expected a dotted OID such as 2.5.4.42")
    .optional(),
  oidc: z.string().min(1).optional(),
});

export const DictionaryFileSchema = z.strictObject({
  attributes: z.record(z.string().min(1), DictionaryEntrySchema),
});

const FormatSchema = z.union([
  z.string().refine(isFormatName, { message: "unknown format name (see docs/profiles.md for the list)" }),
  z.strictObject({
    regex: z.string().min(1),
    flags: z
      .string()
      .regex(/^[imsu]*$/, "only the flags i, m, s and u are allowed")
      .optional(),
    name: z.string().min(1).optional(),
  }),
]);

/** An attribute rule as written in a profile file. */
export const ProfileAttributeInputSchema = z
  .strictObject({
    min: z.number().int().min(0).default(0),
    max: z.number().int().min(1).optional(),
    format: FormatSchema.optional(),
    values: z.array(z.string().min(1)).min(1).optional(),
    maxLength: z.number().int().min(1).optional(),
    identifier: z.boolean().default(false),
    severity: z.enum(["error", "warning"]),
    description: z.string().optional(),
    saml: z.string().min(1).optional(),
    oid: z.string().optional(),
    oidc: z.string().optional(),
  })
  .refine((a) => a.max === undefined || a.max >= a.min, {
    message: "max must be at least min",
    path: ["max"],
  });

/** A profile file: `mappings/profiles/<name>.yaml` or an institution's own. */
export const ProfileFileSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9-]+$/, "use lower-case letters, digits and '-'"),
  title: z.string().min(1),
  samlNames: z.enum(["urn", "plain"]).default("urn"),
  attributes: z.record(z.string().min(1), ProfileAttributeInputSchema),
});

/** Names of an attribute: friendly (LDAP) name, SAML attribute name, OID and OIDC claim. */
export interface AttributeInfo {
  name: string;
  saml: string;
  oid?: string;
  oidc?: string;
}

/** A rule of a loaded profile: the attribute's names and its cardinality, format and severity. */
export interface ProfileAttribute extends AttributeInfo {
  min: number;
  max?: number;
  format?: { name: string; regex?: string; flags?: string };
  values?: string[];
  maxLength?: number;
  identifier: boolean;
  severity: "error" | "warning";
  description?: string;
}

/** A loaded, validated federation profile. Plain data: it can be printed or serialised. */
export interface Profile {
  name: string;
  title: string;
  file: string;
  attributes: ProfileAttribute[];
}
