import { z } from "zod";

/** A `type: json` source section: a JSON array or a JSON Lines file of persons and groups. */
export const JsonSourceConfigSchema = z.strictObject({
  type: z.literal("json"),
  file: z.string().min(1),
});
export type JsonSourceConfig = z.infer<typeof JsonSourceConfigSchema>;
