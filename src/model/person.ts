import { z } from "zod";

/** A value of an extension attribute: one string or several. */
export const ExtValueSchema = z.union([z.string(), z.array(z.string())]);

/**
 * A person as every source connector delivers it, whatever the source (Entra ID, Google,
 * AD, a school administration export). `source` + `id` identify the person for good: the id
 * is the source's immutable key (Entra objectId, AD objectGUID, leerlingnummer), never a
 * name or an e-mail address that can change.
 */
export const PersonSchema = z.object({
  source: z.string().min(1),
  id: z.string().min(1),
  login: z.string().optional(),
  givenName: z.string().optional(),
  tussenvoegsel: z.string().optional(),
  surname: z.string().optional(),
  displayName: z.string().optional(),
  mail: z.string().optional(),
  roles: z.array(z.string()).default([]),
  brin: z.string().optional(),
  vestiging: z.string().optional(),
  number: z.string().optional(),
  enabled: z.boolean().default(true),
  groups: z.array(z.string()).default([]),
  ext: z.record(z.string(), ExtValueSchema).default({}),
});
export type Person = z.infer<typeof PersonSchema>;
export type PersonInput = z.input<typeof PersonSchema>;

/** The global reference of a source object: `source:id`. */
export function refOf(obj: { source: string; id: string }): string {
  return `${obj.source}:${obj.id}`;
}
