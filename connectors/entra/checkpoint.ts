import { createHash } from "node:crypto";
import { z } from "zod";
import type { EntraConfig } from "./config.js";

const DeltaLinksSchema = z.object({ users: z.string().url(), groups: z.string().url() });

/**
 * What an Entra pull leaves in the state store: during a full pull, the phase and the next
 * page to read; after it, the delta links the next (incremental) pull starts from. `config`
 * is a digest of the settings that shape the data, so changing them forces a full pull.
 */
export const CheckpointSchema = z.discriminatedUnion("mode", [
  z.object({
    v: z.literal(1),
    mode: z.literal("full"),
    config: z.string(),
    phase: z.enum(["groups", "users", "finish"]),
    next: z.string().url().optional(),
    deltaLinks: DeltaLinksSchema,
  }),
  z.object({ v: z.literal(1), mode: z.literal("delta"), config: z.string(), deltaLinks: DeltaLinksSchema }),
]);
export type Checkpoint = z.infer<typeof CheckpointSchema>;
export type FullCheckpoint = Extract<Checkpoint, { mode: "full" }>;
export type DeltaCheckpoint = Extract<Checkpoint, { mode: "delta" }>;

/** A digest of the settings that change what a pull yields. */
export function configDigest(cfg: EntraConfig): string {
  const shape = [
    cfg.tenantId,
    cfg.graphBaseUrl,
    cfg.select,
    cfg.extensionAttributes,
    cfg.roleFrom,
    cfg.scope,
    cfg.educationData,
  ];
  return createHash("sha256").update(JSON.stringify(shape)).digest("hex").slice(0, 16);
}

/** The previous checkpoint if it is one of ours for this configuration; otherwise undefined. */
export function readCheckpoint(value: unknown, cfg: EntraConfig): Checkpoint | undefined {
  const parsed = CheckpointSchema.safeParse(value);
  return parsed.success && parsed.data.config === configDigest(cfg) ? parsed.data : undefined;
}
