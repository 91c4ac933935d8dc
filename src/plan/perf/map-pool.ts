import { rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { setFlagsFromString } from "node:v8";
import { Worker } from "node:worker_threads";
import { type ErrorCode, OverstapError } from "../../errors.js";
import type { ProgressFn } from "../../model/connector.js";
import type { ReviewItem } from "../../model/review.js";
import type { MappedOutcome, PersonMapping, PersonOutcome } from "../map-person.js";
import type { Cells } from "../mapped-person.js";
import type { CanonicalPersons } from "../merge.js";
import type { SpoolPart } from "./attribute-spool.js";
import type { MappingRecipe } from "./mapping-recipe.js";

/** Persons per batch sent to a worker. */
const BATCH = 1000;
/** Batches in flight per worker: enough to keep it busy, few enough to bound memory. */
const IN_FLIGHT = 3;
/**
 * Semi-space of a worker's young generation, in MiB. A batch's garbage is short-lived, so a
 * small young generation keeps each worker small. The `overstap` command's
 * `--max-semi-space-size=64` (for the planner's own thread) would give every worker 128 MiB of
 * young generation too, overriding `resourceLimits`; the flag is therefore lowered for the
 * isolates created after it (its effect on resident memory: docs/performance.md).
 */
const WORKER_SEMI_SPACE_MB = 16;

/** When and how the planner maps persons in worker threads. */
export interface MappingWorkers {
  recipe: MappingRecipe;
  /** Worker threads; default: the machine's parallelism, at most 4. 1 or less maps in the planner's thread. */
  threads?: number;
  /** Below this many persons in the snapshot the planner maps in its own thread. Default 500,000 (measured: below that the workers cost more than they save). */
  minPersons?: number;
  /** Persons per batch handed to a worker. Default 1,000. */
  batchSize?: number;
}

/** The plain-data part of {@link PersonMapping} a worker gets. */
export type WorkerContext = Omit<PersonMapping, "mapper" | "validate">;

/** What a worker is started with. */
export interface WorkerData {
  recipe: MappingRecipe;
  context: WorkerContext;
  /** The column names of the planner's `AttributeColumns`, in order. */
  columns: string[];
  /** The worker's own attribute spool file. */
  spool: string;
}

export type WorkerRequest = { type: "batch"; batch: number; texts: string[] } | { type: "end" };

/**
 * Per person: its reference anchor (0 when it is the anchor), its review items, and the compact
 * result if it mapped (else its reference alone); the normalised key is 0 when it is the key.
 */
export type BatchResult = [
  refAnchor: string | 0,
  review: ReviewItem[],
  mapped:
    | string
    | [
        ref: string,
        key: string,
        norm: string | 0,
        anchor: string,
        own: boolean,
        enabled: boolean,
        selected: boolean,
        cells: Cells,
        digest0: number,
        digest1: number,
      ],
][];

export type WorkerReply =
  | { type: "batch"; batch: number; rows: number; result: string }
  | { type: "end" }
  | { type: "error"; batch: number; code: ErrorCode; message: string; hint?: string };

/** A person's mapping outcome as the planner keeps it: without the attributes, which wait in a spool. */
export type TakenOutcome = Omit<PersonOutcome, "mapped"> & {
  mapped?: Omit<MappedOutcome, "attrs"> & { norm: string };
};

/** Takes one person's outcome, with its spool row and column cells (row -1 and no cells when it did not map). */
export type TakeFn = (outcome: TakenOutcome, row: number, cells: Cells) => void;

/** The number of mapping threads to use for a snapshot of `persons`, or 0 to map in the planner's thread. */
export function mappingThreads(workers: MappingWorkers | undefined, persons: number): number {
  if (!workers) return 0;
  const threads = workers.threads ?? Math.min(availableParallelism(), 4);
  return threads > 1 && persons >= (workers.minPersons ?? 500_000) ? threads : 0;
}

/**
 * Maps every person of the snapshot in `threads` worker threads, each building the mapping from
 * the recipe. The planner's thread reads the stored persons and hands out batches; each worker
 * writes the attributes of its mapped persons to its own spool file (`${spool}.N`). Outcomes
 * are taken in snapshot order, so the rows, review items and plan are the same as when mapping
 * in one thread. Returns the spool segments in row order, for a `SpoolReader`.
 */
export async function mapInWorkers(options: {
  /** The persons to map (see `mergePersons`). */
  persons: Pick<CanonicalPersons, "personTexts" | "count">;
  workers: MappingWorkers;
  threads: number;
  context: WorkerContext;
  columns: string[];
  spool: string;
  take: TakeFn;
  progress?: ProgressFn;
  /** What must be closed (removed) when planning ends, whatever happens. */
  open: { close(): void }[];
  /** Stops the mapping (with the signal's reason) at the next batch. */
  signal?: AbortSignal;
}): Promise<{ part: SpoolPart; rows: number }[]> {
  const { threads, take } = options;
  const batchSize = options.workers.batchSize ?? BATCH;
  const pool: PoolWorker[] = [];
  for (let i = 0; i < threads; i++) {
    const spool = `${options.spool}.${i}`;
    options.open.push({ close: () => rmSync(spool, { force: true }) });
    const data: WorkerData = {
      recipe: options.workers.recipe,
      context: options.context,
      columns: options.columns,
      spool,
    };
    pool.push(new PoolWorker(data));
  }
  options.open.push({
    close: () => {
      for (const w of pool) w.stop();
    },
  });

  const segments: { worker: number; rows: number }[] = [];
  let sent = 0;
  let taken = 0;
  let row = 0;
  let seen = 0;
  const takeNext = async () => {
    options.signal?.throwIfAborted();
    const worker = taken % threads;
    const reply = await (pool[worker] as PoolWorker).result(taken);
    taken++;
    segments.push({ worker, rows: reply.rows });
    for (const [refAnchor, review, m] of JSON.parse(reply.result) as BatchResult) {
      seen++;
      if (typeof m === "string") {
        take({ ref: m, refAnchor: refAnchor || "", review }, -1, []);
        continue;
      }
      const [ref, key, norm, anchor, ownAnchor, enabled, selected, cells, digest0, digest1] = m;
      const digest: [number, number] = [digest0, digest1];
      const mapped = { key, norm: norm || key, anchor, ownAnchor, enabled, selected, digest };
      take({ ref, refAnchor: refAnchor || anchor, review, mapped }, row++, cells);
    }
    options.progress?.(seen, options.persons.count);
  };
  let texts: string[] = [];
  const send = async () => {
    (pool[sent % threads] as PoolWorker).send({ type: "batch", batch: sent, texts });
    sent++;
    texts = [];
    while (sent - taken >= threads * IN_FLIGHT) await takeNext();
  };
  for await (const page of options.persons.personTexts()) {
    for (const text of page) {
      texts.push(text);
      if (texts.length === batchSize) await send();
    }
  }
  if (texts.length) await send();
  while (taken < sent) await takeNext();
  const parts: SpoolPart[] = [];
  for (let i = 0; i < threads; i++) {
    await (pool[i] as PoolWorker).end();
    parts.push({ file: `${options.spool}.${i}` });
  }
  // Their heaps are not needed any more: give the memory back before the diff.
  for (const w of pool) w.stop();
  return segments.map((s) => ({ part: parts[s.worker] as SpoolPart, rows: s.rows }));
}

/**
 * The worker's module, and whether it must be loaded through tsx (when the planner itself runs
 * from the TypeScript sources, as in the tests).
 */
function workerEntry(): { entry: string; tsx: boolean } {
  const tsx = import.meta.url.endsWith(".ts");
  return { entry: new URL(tsx ? "./map-worker.ts" : "./map-worker.js", import.meta.url).href, tsx };
}

const BOOT = `const { workerData } = require("node:worker_threads");
(workerData.boot.tsx ? import("tsx/esm/api").then((m) => m.register()) : Promise.resolve())
  .then(() => import(workerData.boot.entry));`;

/** One mapping worker: its replies by batch, in the order asked for. */
class PoolWorker {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, (reply: WorkerReply) => void>();
  readonly #replies = new Map<number, WorkerReply>();
  #failure: OverstapError | undefined;
  #ended: { resolve: () => void; reject: (err: OverstapError) => void } | undefined;
  #stopped = false;

  constructor(data: WorkerData) {
    setFlagsFromString(`--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`);
    this.#worker = new Worker(BOOT, {
      eval: true,
      workerData: { ...data, boot: workerEntry() },
      resourceLimits: { maxYoungGenerationSizeMb: 3 * WORKER_SEMI_SPACE_MB },
    });
    this.#worker.on("message", (reply: WorkerReply) => {
      if (reply.type === "end") this.#ended?.resolve();
      else if (reply.type === "error") {
        this.#fail(new OverstapError(reply.code, reply.message, reply.hint ? { hint: reply.hint } : {}));
      } else this.#deliver(reply.batch, reply);
    });
    this.#worker.on("error", (err) =>
      this.#fail(new OverstapError("INTERNAL", `a mapping worker failed: ${err.message}`, { cause: err })),
    );
    this.#worker.on("exit", (code) => {
      if (code !== 0)
        this.#fail(new OverstapError("INTERNAL", `a mapping worker stopped (exit code ${code})`));
    });
  }

  send(request: WorkerRequest): void {
    this.#worker.postMessage(request);
  }

  /** The reply to batch `batch`. */
  result(batch: number): Promise<Extract<WorkerReply, { type: "batch" }>> {
    return new Promise((resolve, reject) => {
      if (this.#failure) return reject(this.#failure);
      const have = this.#replies.get(batch);
      if (have) {
        this.#replies.delete(batch);
        return resolve(have as Extract<WorkerReply, { type: "batch" }>);
      }
      this.#waiting.set(batch, (reply) => (reply.type === "batch" ? resolve(reply) : reject(this.#failure)));
    });
  }

  /** Asks the worker to finish its spool; resolves when it is written out. */
  end(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.#failure) return reject(this.#failure);
      this.#ended = { resolve, reject };
      this.send({ type: "end" });
    });
  }

  /** Terminates the worker (once; later calls do nothing). */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#worker.removeAllListeners("exit");
    void this.#worker.terminate();
  }

  #deliver(batch: number, reply: WorkerReply): void {
    const waiter = this.#waiting.get(batch);
    if (waiter) {
      this.#waiting.delete(batch);
      waiter(reply);
    } else this.#replies.set(batch, reply);
  }

  #fail(err: OverstapError): void {
    this.#failure ??= err;
    const waiters = [...this.#waiting.values()];
    this.#waiting.clear();
    for (const w of waiters) w({ type: "error", batch: -1, code: err.code, message: err.message });
    this.#ended?.reject(err);
  }
}
