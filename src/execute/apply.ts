import PQueue from "p-queue";
import type { Config } from "../config/schema.js";
import { OverstapError, toOverstapError } from "../errors.js";
import type { ProgressFn, TargetConnector } from "../model/connector.js";
import { expectedAfter, identicalEntry } from "../model/entry.js";
import type { JournalRecord, Run } from "../model/journal.js";
import type { Operation } from "../model/operation.js";
import type { TargetEntry } from "../model/target-entry.js";
import { normKey } from "../plan/keys.js";
import { byPhase } from "../plan/operation-order.js";
import { ownershipMark } from "../plan/ownership.js";
import type { LoadedPlan } from "../plan/plan-file.js";
import { checkRails, enforceRails } from "../plan/safety.js";
import type { StateStore } from "../state/store.js";
import { InFlight } from "./in-flight.js";
import { type JournaledOp, journaledOps } from "./journaled.js";
import { OutcomeJournal } from "./outcome-journal.js";
import { assertNotApplied, assertResumable } from "./run-guard.js";
import { newRunId } from "./run-id.js";
import { executing, runOwner } from "./run-state.js";
import { assertNotStale } from "./stale.js";

export interface ApplyOptions {
  plan: LoadedPlan;
  config: Config;
  store: StateStore;
  target: TargetConnector;
  /** Finish this interrupted run of the same plan instead of starting a new one. */
  resume?: string;
  allowDeletes?: boolean;
  acceptIdentityChanges?: boolean;
  /** Consent to the plan's adoptions (also given by `allow: [adopt]` on the plan's stage). */
  acceptAdoptions?: boolean;
  /** Apply even when the previous stage has no completed run. */
  force?: boolean;
  progress?: ProgressFn;
  now?: () => Date;
  /**
   * Stops the run cleanly: no operation starts after the signal, those in flight finish and are
   * journaled, and the run is marked `interrupted` (RUN_INTERRUPTED is thrown).
   */
  signal?: AbortSignal;
  /** The command that resumes run `id`, for hints (default `overstap apply PLAN --resume ID`). */
  resumeCommand?: (id: string) => string;
  /** Who runs it (`--by NAME`), recorded on the run beside the OS user and host. */
  by?: string;
  /** Told the run once it is recorded (started or resumed), before any operation is sent. */
  onRun?: (run: Run) => Promise<void>;
}

/** Errors after which the rest of the run cannot succeed: stop and let the user resume. */
const FATAL = new Set(["TARGET_UNREACHABLE", "TARGET_AUTH"]);

/**
 * Applies a saved plan exactly: checks the safety rails, the stage order and that the plan
 * is not stale, then executes the operations phase by phase with bounded concurrency. Each
 * operation is journaled with its before-image before it is sent and marked done (with its
 * after-image) once the target has made it durable, so a crash at any point leaves a run that
 * `resume` finishes and rollback undoes exactly.
 *
 * @example
 * const run = await applyPlan({ plan: await readPlan("pilot.plan"), config, store, target });
 */
export async function applyPlan(options: ApplyOptions): Promise<Run> {
  const { plan, config, store, target } = options;
  const now = options.now ?? (() => new Date());
  const resumeCommand = options.resumeCommand ?? ((id) => `overstap apply ${plan.file} --resume ${id}`);
  if (options.resume) await assertResumable(options.resume, plan, store);
  else await assertNotApplied(plan, store, resumeCommand);
  if (plan.header.kind === "migrate") {
    enforceRails(
      checkRails(plan.header.summary, config.safety, {
        allowDeletes: options.allowDeletes ?? false,
        acceptIdentityChanges: options.acceptIdentityChanges ?? false,
        acceptAdoptions: options.acceptAdoptions === true || stageAllowsAdoption(config, plan.header.stage),
      }),
    );
    if (!options.force) await assertStageOrder(plan, store);
  }

  let journaled = new Map<number, JournaledOp>();
  let run: Run;
  if (options.resume) {
    const found = (await store.getRun(options.resume)) as Run;
    journaled = await journaledOps(store, found.id);
    const owner = { ...runOwner(), ...(options.by ? { by: options.by } : {}) };
    run = { ...found, status: "running", ...owner };
    await store.updateRun(run.id, { status: "running", ...owner });
  } else {
    const started = now();
    run = {
      id: newRunId(started),
      planId: plan.header.id,
      planHash: plan.hash,
      planFile: plan.file,
      stage: plan.header.stage,
      stageIndex: plan.header.stageIndex,
      kind: plan.header.kind,
      ...(plan.header.rollbackOf ? { rollbackOf: plan.header.rollbackOf } : {}),
      status: "running",
      startedAt: started.toISOString(),
      total: plan.operations.length,
      done: 0,
      failed: 0,
      ...runOwner(),
      ...(options.by ? { by: options.by } : {}),
    };
  }

  const begun = new Set([...journaled].filter(([, j]) => j.begin).map(([seq]) => seq));
  const absent = await assertNotStale(plan.operations, target, begun);
  if (!options.resume) await store.createRun(run);
  await options.onRun?.(run);
  return executing(run.id, () => executeRun({ ...options, run, journaled, absent, resumeCommand, now }));
}

/** A run ready to execute: its record, what its journal holds already, and the creates seen absent. */
interface Execution extends ApplyOptions {
  run: Run;
  journaled: Map<number, JournaledOp>;
  absent: ReadonlySet<number>;
  resumeCommand: (id: string) => string;
  now: () => Date;
}

/** Executes the run's unfinished operations phase by phase, journaling each; see {@link applyPlan}. */
async function executeRun(x: Execution): Promise<Run> {
  const { plan, config, run, journaled } = x;
  const queue = new PQueue({
    concurrency: config.execution.concurrency,
    ...(config.execution.ratePerSecond
      ? { intervalCap: Math.max(1, Math.round(config.execution.ratePerSecond)), interval: 1000 }
      : {}),
  });
  const journal = new OutcomeJournal({
    store: x.store,
    target: x.target,
    runId: run.id,
    total: plan.operations.length,
    done: [...journaled.values()].filter((j) => j.done).length,
    progress: x.progress,
  });
  x.progress?.(journal.done, plan.operations.length);
  const state: RunState = { queue, journal, running: new InFlight(), fatal: undefined };
  const pending = plan.operations.filter((op) => !journaled.get(op.seq)?.done);
  try {
    for (const phase of byPhase(pending)) {
      await runPhase(phase, x, state);
      if (state.fatal || x.signal?.aborted) break;
    }
  } finally {
    await state.running.atMost(0);
  }
  if (journal.pending) await journal.commit([]);
  return finishRun(x, journal, state.fatal);
}

/** What the phases of one run share. */
interface RunState {
  queue: PQueue;
  journal: OutcomeJournal;
  running: InFlight;
  /** The first error that stops the run (a lost connection, not one failed operation). */
  fatal: OverstapError | undefined;
}

/** Runs one phase's operations batch by batch; returns when all of them have finished or the run stops. */
async function runPhase(phase: Operation[], x: Execution, state: RunState): Promise<void> {
  const { batchSize } = x.config.execution;
  // An operation's before-image is the state it will find: for a later operation on an
  // object an unfinished operation of this phase touches, what that one leaves, not what
  // the target shows now. `leaves` holds only those objects (with the seq of the operation
  // whose prediction it holds), so it stays within two batches.
  const leaves = new Map<string, TargetEntry | null>();
  const leftBy = new Map<string, number>();
  const leave = (key: string, entry: TargetEntry | null, seq: number) => {
    leaves.set(key, entry);
    leftBy.set(key, seq);
  };
  // The last unfinished task on each object: a later operation on it starts after that one.
  const chains = new Map<string, Promise<void>>();
  for (let i = 0; i < phase.length; i += batchSize) {
    // The next batch is journaled while operations of the batches before are still
    // running, so the target has work while the journal commits: at most two batches'
    // worth of operations are begun and unfinished.
    await state.running.atMost(batchSize);
    if (state.fatal || x.signal?.aborted) break;
    const batch = phase.slice(i, i + batchSize);
    const keys = batch.map((op) => normKey(op.key));
    const found = await readFirstBefores(batch, keys, { ...x, leaves }, x.target, state.queue);
    // What each operation's begin record predicts it leaves: a done record repeats the
    // after-image only when the target reports something else.
    const predicted = new Map<number, TargetEntry | null>();
    const begins: JournalRecord[] = [];
    for (const [i, op] of batch.entries()) {
      const key = keys[i] as string;
      const prior = x.journaled.get(op.seq)?.begin;
      const before = prior
        ? (prior.before ?? null)
        : leaves.has(key)
          ? (leaves.get(key) ?? null)
          : (found.get(op.seq) ?? null);
      if (!prior)
        begins.push({ runId: x.run.id, seq: op.seq, phase: "begin", at: x.now().toISOString(), op, before });
      const after = expectedAfter(op, before);
      predicted.set(op.seq, after);
      if (op.newKey) {
        leave(key, null, op.seq);
        leave(normKey(op.newKey), after, op.seq);
      } else leave(key, after, op.seq);
    }
    await state.journal.commit(begins);
    for (const [i, op] of batch.entries()) {
      const key = keys[i] as string;
      const execute = () => applyOne(op, predicted.get(op.seq) ?? null, x, state);
      const previous = chains.get(key);
      const task = previous ? previous.then(() => state.queue.add(execute)) : state.queue.add(execute);
      const objects = op.newKey ? [key, normKey(op.newKey)] : [key];
      for (const k of objects) chains.set(k, task);
      task.then(() => {
        for (const k of objects) {
          if (chains.get(k) === task) chains.delete(k);
          if (leftBy.get(k) === op.seq) {
            leftBy.delete(k);
            leaves.delete(k);
          }
        }
      });
      state.running.track(task);
    }
  }
  await state.running.atMost(0);
}

/** Applies one begun operation and notes its outcome; an error that stops the run is kept in `state.fatal`. */
async function applyOne(
  op: Operation,
  predicted: TargetEntry | null,
  x: Execution,
  state: RunState,
): Promise<void> {
  // Begun but not sent: resume sends it, rollback knows it may not have happened.
  if (x.signal?.aborted) return;
  const { run, now } = x;
  try {
    const after = await x.target.apply(op);
    state.journal.record(
      {
        runId: run.id,
        seq: op.seq,
        phase: "done",
        at: now().toISOString(),
        ...(identicalEntry(after, predicted) ? {} : { after }),
      },
      ownershipMark(op, run.id),
    );
  } catch (err) {
    const e = toOverstapError(err, "TARGET_WRITE", `${op.kind} ${op.key}`);
    if (FATAL.has(e.code)) state.fatal ??= e;
    state.journal.record({
      runId: run.id,
      seq: op.seq,
      phase: "failed",
      at: now().toISOString(),
      error: { code: e.code, message: e.message },
    });
  }
}

/** Records how the run ended; throws when it stopped early (the hint says how to finish it). */
async function finishRun(
  x: Execution,
  journal: OutcomeJournal,
  fatal: OverstapError | undefined,
): Promise<Run> {
  const { run, plan, resumeCommand } = x;
  const { done, failed } = journal;
  const stopped = x.signal?.aborted === true && done + failed < plan.operations.length;
  const status = fatal || stopped ? "interrupted" : failed > 0 ? "failed" : "completed";
  await x.store.updateRun(run.id, { status, done, failed, finishedAt: x.now().toISOString() });
  const final = (await x.store.getRun(run.id)) as Run;
  if (fatal) {
    throw new OverstapError(
      fatal.code,
      `${fatal.message}\nThe run ${run.id} stopped after ${done} of ${plan.operations.length} operations.`,
      {
        cause: fatal,
        hint: `Fix the connection, then finish it with: ${resumeCommand(run.id)}`,
        details: { run: final },
      },
    );
  }
  if (stopped) {
    throw new OverstapError(
      "RUN_INTERRUPTED",
      `the run ${run.id} was interrupted: it stopped after the operations in flight, with ${done} of ${plan.operations.length} operations done${failed ? ` and ${failed} failed` : ""}`,
      { hint: `Finish it with: ${resumeCommand(run.id)}`, details: { run: final } },
    );
  }
  return final;
}

/**
 * The current state of every object a batch touches first in its phase, read concurrently (one
 * round trip each would otherwise dominate an LDAP apply), except the objects the stale check
 * saw absent (`absent`: creates, whose first write is the add itself) and those an unfinished
 * operation of an earlier batch touches (`leaves`). Keyed by the operation's seq; `keys` are the
 * operations' normalised keys.
 */
async function readFirstBefores(
  batch: Operation[],
  keys: string[],
  known: {
    journaled: Map<number, JournaledOp>;
    absent: ReadonlySet<number>;
    leaves: ReadonlyMap<string, TargetEntry | null>;
  },
  target: TargetConnector,
  queue: PQueue,
): Promise<Map<number, TargetEntry | null>> {
  const seen = new Set<string>();
  const reads: Promise<void>[] = [];
  const found = new Map<number, TargetEntry | null>();
  for (const [i, op] of batch.entries()) {
    const key = keys[i] as string;
    const first = !seen.has(key) && !known.leaves.has(key);
    seen.add(key);
    if (op.newKey) seen.add(normKey(op.newKey));
    if (!first || known.journaled.get(op.seq)?.begin) continue;
    if (known.absent.has(op.seq)) {
      found.set(op.seq, null);
      continue;
    }
    reads.push(
      queue
        .add(async () => {
          found.set(op.seq, await target.get(op.key, op.type));
        })
        .then(() => undefined),
    );
  }
  await Promise.all(reads);
  return found;
}

/** True when the stage named `stage` lists `adopt` in its `allow:`. */
function stageAllowsAdoption(config: Config, stage: string): boolean {
  return config.stages.find((s) => s.name === stage)?.allow.includes("adopt") ?? false;
}

async function assertStageOrder(plan: LoadedPlan, store: StateStore): Promise<void> {
  if (plan.header.stageIndex === 0) return;
  const runs = await store.listRuns();
  const ok = runs.some(
    (r) => r.kind === "migrate" && r.status === "completed" && r.stageIndex >= plan.header.stageIndex - 1,
  );
  if (!ok) {
    throw new OverstapError(
      "STAGE_ORDER",
      `stage "${plan.header.stage}" comes after a stage that has no completed run yet`,
      {
        hint: "Apply the stages in order (`overstap runs` shows what ran), or pass --force if you are sure.",
      },
    );
  }
}
