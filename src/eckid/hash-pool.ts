import os from "node:os";
import { Worker } from "node:worker_threads";
import { OverstapError } from "../errors.js";
import { HASH_WORKER_SOURCE } from "./hash-worker.js";
import { bytesPerHash, HPGN_PARAMS, type ScryptParams } from "./hpgn.js";
import { type PgnKind, type PgnRules, validatePgn } from "./pgn.js";

/** One value to hash: `ref` identifies it to the caller (never the PGN itself). */
export interface HashItem {
  ref: string;
  pgn: string;
  kind?: PgnKind;
}

/** The outcome for one item, in completion order. */
export type HashResult = { ref: string; hpgn: string } | { ref: string; error: OverstapError };

/**
 * Progress of a batch. `perHashMs` and `etaMs` come from the hashes completed so far
 * (wall time since the first hash started divided by the number finished), so they are
 * undefined until the first hash completes.
 */
export interface HashProgress {
  total: number;
  /** Inputs that passed validation and so need a hash (known before the first one starts). */
  toHash: number;
  /** Results delivered (hashes and rejected inputs). */
  done: number;
  failed: number;
  /** Hashes computed so far (some may not be delivered yet). */
  hashed: number;
  elapsedMs: number;
  perHashMs?: number;
  etaMs?: number;
}

export interface PoolSizeOptions {
  params?: ScryptParams;
  /** Number of worker threads; default: as many as the memory bound and the cores allow. */
  concurrency?: number;
  /** Memory the hashes may hold at once; default: half of the machine's memory. */
  memoryLimitBytes?: number;
}

export interface HashBatchOptions extends PoolSizeOptions {
  /** The decoded salt. */
  salt: Buffer;
  /** PGN kind for items without their own; default `auto`. */
  kind?: PgnKind;
  rules?: PgnRules;
  progress?: (progress: HashProgress) => void;
  /**
   * Called with every result before it is yielded, and awaited: the place to persist what the
   * caller derives from it, so an interrupted batch resumes where it stopped. Never persist the PGN.
   */
  onResult?: (result: HashResult) => void | Promise<void>;
  /** Clock for the ETA; tests inject one. */
  now?: () => number;
}

/**
 * The number of hashes that run at once: min(cores, floor(memoryLimit / bytesPerHash)), at
 * least 1, or `concurrency` when given (still capped by the memory bound).
 *
 * @example
 * poolSize({ memoryLimitBytes: 1024 * 1024 * 1024 }); // 2 on a 2-core machine (1 GiB / 140 MiB = 7)
 */
export function poolSize(options: PoolSizeOptions = {}): number {
  const params = options.params ?? HPGN_PARAMS;
  const memoryLimit = options.memoryLimitBytes ?? os.totalmem() / 2;
  const byMemory = Math.max(1, Math.floor(memoryLimit / bytesPerHash(params)));
  const wanted = options.concurrency ?? os.availableParallelism();
  if (!Number.isInteger(wanted) || wanted < 1) {
    throw new OverstapError("USAGE", `hash concurrency must be a positive integer, got ${wanted}`);
  }
  return Math.min(wanted, byMemory);
}

interface Job {
  id: number;
  ref: string;
  pgn: string;
}

/**
 * Hashes many PGNs on worker threads (one scrypt per thread, bounded by memory), yielding
 * each result as it completes. Invalid PGNs come back as `{ ref, error }` (ECKID_INVALID_PGN,
 * without the value) and cost no hash. Breaking out of the loop stops the workers.
 *
 * @example
 * for await (const r of hashBatch([{ ref: "las:1", pgn }], { salt })) {
 *   if ("hpgn" in r) await lookUp(r.hpgn);
 * }
 */
export async function* hashBatch(items: HashItem[], options: HashBatchOptions): AsyncGenerator<HashResult> {
  const params = options.params ?? HPGN_PARAMS;
  const now = options.now ?? Date.now;
  const ready: HashResult[] = [];
  const jobs: (Job | undefined)[] = [];
  items.forEach((item, i) => {
    try {
      const pgn = validatePgn(item.pgn, item.kind ?? options.kind ?? "auto", item.ref, options.rules);
      jobs.push({ id: i, ref: item.ref, pgn });
    } catch (err) {
      ready.push({ ref: item.ref, error: err as OverstapError });
    }
  });

  const total = items.length;
  let next = 0;
  let hashed = 0;
  let delivered = 0;
  let failed = 0;
  let startedAt: number | undefined;
  let wake: (() => void) | undefined;
  const workers = new Set<Worker>();
  const inFlight = new Map<Worker, Job>();

  const push = (result: HashResult): void => {
    ready.push(result);
    wake?.();
  };
  const dispatch = (worker: Worker): void => {
    const job = jobs[next];
    if (job === undefined) {
      workers.delete(worker);
      void worker.terminate();
      return;
    }
    jobs[next++] = undefined;
    inFlight.set(worker, job);
    worker.postMessage({ id: job.id, pgn: job.pgn });
  };
  const spawn = (): void => {
    const worker = new Worker(HASH_WORKER_SOURCE, {
      eval: true,
      workerData: { salt: new Uint8Array(options.salt), params },
    });
    workers.add(worker);
    worker.on("message", (msg: { hpgn?: string; error?: string }) => {
      const job = inFlight.get(worker);
      inFlight.delete(worker);
      if (job === undefined) return;
      hashed++;
      if (msg.hpgn !== undefined) push({ ref: job.ref, hpgn: msg.hpgn });
      else
        push({
          ref: job.ref,
          error: new OverstapError("INTERNAL", `${job.ref}: hashing failed (${msg.error})`),
        });
      dispatch(worker);
    });
    worker.on("error", (err) => lost(worker, err));
    worker.on("exit", (code) => {
      if (workers.has(worker)) lost(worker, new Error(`worker exited with code ${code}`));
    });
    startedAt ??= now();
    dispatch(worker);
  };
  const lost = (worker: Worker, err: Error): void => {
    workers.delete(worker);
    const job = inFlight.get(worker);
    inFlight.delete(worker);
    if (job !== undefined) {
      hashed++;
      push({
        ref: job.ref,
        error: new OverstapError("INTERNAL", `${job.ref}: the hashing worker failed: ${err.message}`, {
          hint: "Lower eckid hashing concurrency or the memory in use; each hash needs about 140 MiB.",
        }),
      });
    }
    if (next < jobs.length) spawn();
  };

  try {
    const size = Math.min(poolSize(options), jobs.length);
    for (let i = 0; i < size; i++) spawn();
    while (delivered < total) {
      const result = ready.shift();
      if (result === undefined) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
        continue;
      }
      delivered++;
      if ("error" in result) failed++;
      await options.onResult?.(result);
      if (options.progress)
        options.progress(progressOf(total, delivered, failed, hashed, jobs.length, startedAt, now()));
      yield result;
    }
  } finally {
    for (const worker of workers) void worker.terminate();
    workers.clear();
    jobs.length = 0;
  }
}

function progressOf(
  total: number,
  done: number,
  failed: number,
  hashed: number,
  toHash: number,
  startedAt: number | undefined,
  at: number,
): HashProgress {
  const elapsedMs = startedAt === undefined ? 0 : at - startedAt;
  if (hashed === 0 || startedAt === undefined) return { total, toHash, done, failed, hashed, elapsedMs };
  const perHashMs = elapsedMs / hashed;
  return {
    total,
    toHash,
    done,
    failed,
    hashed,
    elapsedMs,
    perHashMs,
    etaMs: Math.round(perHashMs * (toHash - hashed)),
  };
}
