import { createHash } from "node:crypto";
import type { ZodError } from "zod";
import { OverstapError } from "../errors.js";
import type { SourceEvent } from "../model/connector.js";
import { GroupSchema } from "../model/group.js";
import { PersonSchema } from "../model/person.js";
import type { InvalidRecord, SourceInfo } from "./store.js";

/** Events applied in one write when a source sends no checkpoint for that long. */
const BATCH = 20_000;

/**
 * The writes of one batch, in event order, as a backend receives them: persons and groups
 * already validated and serialized, invalid records already named.
 */
export interface SnapshotWriter {
  /** Forgets everything the source sent before (persons, groups, invalid records) and marks it incomplete without a checkpoint. */
  reset(): void;
  /** Stores (or replaces) a person, as its JSON text. */
  putPerson(id: string, text: string): void;
  /** Stores (or replaces) a group, as its JSON text. */
  putGroup(id: string, text: string): void;
  remove(kind: "person" | "group", id: string): void;
  /** Appends an invalid record after the source's others. */
  invalid(record: Omit<InvalidRecord, "source">): void;
}

/** What a checkpoint commits besides the batch before it: the source's new checkpoint state. */
export interface SnapshotCommit {
  checkpoint: unknown;
  complete: boolean;
  /** When the pull ended (`done`), else null. */
  pulledAt: string | null;
}

/** A source's commit count and completeness, what {@link snapshotHashOf} hashes. */
export interface SourceGeneration {
  source: string;
  /** Raised by one with every commit. */
  generation: number;
  complete: boolean;
}

/** The storage primitives a snapshot backend implements; {@link ingestEvents} holds the rules. */
export interface SnapshotBackend {
  /**
   * Runs `apply` against a writer for `source` and stores its writes, then `commit` when given
   * (raising the source's generation), all in one atomic write. Any write drops counts the
   * backend keeps for the source.
   */
  write(
    source: string,
    apply: (writer: SnapshotWriter) => void,
    commit?: SnapshotCommit,
  ): void | Promise<void>;
  sourceInfo(source: string): Promise<SourceInfo | null>;
  /** Told the counts at the end of a pull, for a backend that keeps them rather than counting. */
  ingested?(info: SourceInfo): void | Promise<void>;
}

/**
 * How a stream of source events becomes a snapshot, for every backend:
 * - events take effect in order; a `checkpoint` commits everything since the previous one,
 *   together with the checkpoint (and `complete` plus `pulledAt` when it is `done`);
 * - `reset` forgets what the source sent before and leaves it incomplete until a `done`
 *   checkpoint: a half-finished full pull is never complete;
 * - a person or group failing its schema is stored as an invalid record instead (a person's
 *   invalid record keeps its id, so the planner knows it still exists);
 * - a long run without checkpoints is written every {@link BATCH} events, and what follows the
 *   last checkpoint is written when the stream ends (not when it fails), without a checkpoint;
 * - a source that delivered nothing at all is a STATE_INVALID error.
 */
export async function ingestEvents(
  backend: SnapshotBackend,
  source: string,
  events: AsyncIterable<SourceEvent> | Iterable<SourceEvent>,
  now: () => Date = () => new Date(),
): Promise<SourceInfo> {
  let pending: SourceEvent[] = [];
  const write = async (commit?: SnapshotCommit) => {
    const batch = pending;
    pending = [];
    await backend.write(source, (w) => applyEvents(w, source, batch), commit);
  };
  for await (const ev of events) {
    if (ev.type === "checkpoint") {
      const done = ev.done === true;
      await write({
        checkpoint: ev.checkpoint ?? null,
        complete: done,
        pulledAt: done ? now().toISOString() : null,
      });
    } else {
      pending.push(ev);
      if (pending.length >= BATCH) await write();
    }
  }
  if (pending.length) await write();
  const info = await backend.sourceInfo(source);
  if (!info) throw new OverstapError("STATE_INVALID", `source ${source} delivered nothing`);
  await backend.ingested?.(info);
  return info;
}

/** Turns one batch of events into writes. */
function applyEvents(w: SnapshotWriter, source: string, batch: SourceEvent[]): void {
  for (const ev of batch) {
    switch (ev.type) {
      case "reset":
        w.reset();
        break;
      case "person": {
        const parsed = PersonSchema.safeParse(ev.person);
        if (parsed.success) w.putPerson(parsed.data.id, JSON.stringify(parsed.data));
        else w.invalid(invalidOf(source, ev.person, parsed.error, typeof ev.person?.id === "string"));
        break;
      }
      case "group": {
        const parsed = GroupSchema.safeParse(ev.group);
        if (parsed.success) w.putGroup(parsed.data.id, JSON.stringify(parsed.data));
        else w.invalid(invalidOf(source, ev.group, parsed.error, false));
        break;
      }
      case "remove":
        w.remove(ev.kind, ev.id);
        break;
      case "invalid":
        w.invalid({
          record: ev.record,
          ...(ev.id ? { id: ev.id } : {}),
          ...(ev.field ? { field: ev.field } : {}),
          reason: ev.reason,
        });
        break;
      case "checkpoint":
        break;
    }
  }
}

/** The invalid record of a person or group that failed its schema. */
function invalidOf(
  source: string,
  value: { id?: unknown } | undefined,
  error: ZodError,
  keepId: boolean,
): Omit<InvalidRecord, "source"> {
  const field = error.issues[0]?.path.map(String).join(".") ?? "";
  return {
    record: `${source}:${String(value?.id ?? "?")}`,
    ...(keepId && value?.id ? { id: value.id as string } : {}),
    ...(field ? { field } : {}),
    reason: error.issues[0]?.message ?? "invalid",
  };
}

/** The hash over all snapshots: changes with every commit of any source, stable otherwise. */
export function snapshotHashOf(sources: Iterable<SourceGeneration>): string {
  const h = createHash("sha256");
  for (const r of sources) h.update(`${r.source}\0${r.generation}\0${r.complete ? 1 : 0}\n`);
  return h.digest("hex").slice(0, 32);
}
