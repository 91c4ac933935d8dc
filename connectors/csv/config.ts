import { z } from "zod";
import { GroupKindSchema } from "../../src/model/group.js";

const column = z.string().min(1).optional();

/** Person field → column header. Only `id` is required. */
export const CsvColumnsSchema = z.strictObject({
  id: z.string().min(1),
  login: column,
  givenName: column,
  tussenvoegsel: column,
  surname: column,
  displayName: column,
  mail: column,
  brin: column,
  vestiging: column,
  number: column,
  enabled: column,
  roles: column,
});
export type CsvColumns = z.infer<typeof CsvColumnsSchema>;

const constant = z.string().min(1).optional();

/** Fixed values for person fields the file does not have (or leaves empty). */
export const CsvConstantsSchema = z.strictObject({
  login: constant,
  givenName: constant,
  tussenvoegsel: constant,
  surname: constant,
  displayName: constant,
  mail: constant,
  brin: constant,
  vestiging: constant,
  number: constant,
  enabled: z.boolean().optional(),
  roles: z
    .union([z.string().min(1), z.array(z.string().min(1))])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .optional(),
});
export type CsvConstants = z.infer<typeof CsvConstantsSchema>;

/** A `type: csv` source section. */
export const CsvSourceConfigSchema = z.strictObject({
  type: z.literal("csv"),
  file: z.string().min(1),
  delimiter: z
    .enum([",", ";", "\t", "tab"])
    .transform((d) => (d === "tab" ? "\t" : d))
    .optional(),
  encoding: z.enum(["utf-8", "windows-1252"]).default("utf-8"),
  columns: CsvColumnsSchema,
  ext: z.record(z.string().min(1), z.string().min(1)).default({}),
  constants: CsvConstantsSchema.default({}),
  groups: z
    .strictObject({
      column: z.string().min(1),
      kind: GroupKindSchema.default("class"),
      prefix: z.string().default(""),
    })
    .optional(),
});
export type CsvSourceConfig = z.infer<typeof CsvSourceConfigSchema>;
