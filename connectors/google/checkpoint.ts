import { createHash } from "node:crypto";
import { z } from "zod";
import type { GoogleConfig } from "./config.js";

/**
 * Where a Google pull stands: the phase, the chain of pages (unit) within it, and the page token
 * to continue from. Google has no delta feed, so a finished pull (`done`) makes the next pull a
 * full one again. `config` is a digest of the settings that shape the data.
 */
export const CheckpointSchema = z.object({
  v: z.literal(1),
  config: z.string(),
  phase: z.enum(["groups", "users", "finish", "done"]),
  unit: z.number().int().min(0),
  pageToken: z.string().optional(),
  /** Ids of the users read but not delivered (invalid records): users of the account all the same. */
  unreadable: z.array(z.string()).optional(),
});
export type Checkpoint = z.infer<typeof CheckpointSchema>;

/** A digest of the settings that change what a pull yields. */
export function configDigest(cfg: GoogleConfig): string {
  const shape = [
    cfg.customer,
    cfg.baseUrl,
    cfg.domains,
    cfg.orgUnits,
    cfg.groups,
    cfg.customSchema,
    cfg.customerMembers,
  ];
  return createHash("sha256").update(JSON.stringify(shape)).digest("hex").slice(0, 16);
}

/** The previous checkpoint if it is an unfinished pull of this configuration; otherwise undefined. */
export function readCheckpoint(value: unknown, cfg: GoogleConfig): Checkpoint | undefined {
  const parsed = CheckpointSchema.safeParse(value);
  if (!parsed.success || parsed.data.config !== configDigest(cfg) || parsed.data.phase === "done")
    return undefined;
  return parsed.data;
}
