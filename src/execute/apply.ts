import PQueue from "p-queue";
import type { Config } from "../config/schema.js";
import { OverstapError, toOverstapError } from "../errors.js";
import type { ProgressFn, TargetConnector } from "../model/connector.js";
import { expectedAfter, identicalEntry } from "../model/entry.js";
import type { JournalRecord, Run } from "../model/journal.js";
import type { Operation } from "../model/operation.js";
import type { TargetEntry } from "../model/target-entry.js";
import { normKey } from "../plan/keys.js";
import { OWNED_GROUPS, ownershipMark } from "../plan/ownership.js";
import { phaseOf } from "../plan/phases.js";
import type { LoadedPlan } from "../plan/plan-file.js";
import { checkRails, enforceRails } from "../plan/safety.js";
import type { StateStore } from "../state/store.js";
import { InFlight } from "./in-flight.js";
import { type JournaledOp, journaledOps } from "./journaled.js";
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
    run = { ...found, status: "running", ...runOwner() };
    await store.updateRun(run.id, { status: "running", ...runOwner() });
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
    };
  }

  const begun = new Set([...journaled].filter(([, j]) => j.begin).map(([seq]) => seq));
  const absent = await assertNotStale(plan.operations, target, begun);
  if (!options.resume) await store.createRun(run);
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
  const { plan, config, store, target, signal, run, journaled, absent, resumeCommand, now } = x;
  const queue = new PQueue({
    concurrency: config.execution.concurrency,
    ...(config.execution.ratePerSecond
      ? { intervalCap: Math.max(1, Math.round(config.execution.ratePerSecond)), interval: 1000 }
      : {}),
  });
  let done = [...journaled.values()].filter((j) => j.done).length;
  let failed = 0;
  let fatal: OverstapError | undefined;
  x.progress?.(done, plan.operations.length);

  // Done and failed records wait for the next batch's begin records and are committed with
  // them (one durable transaction instead of two), or on their own at the end. Until then they
  // are only lost to a crash, after which resume replays those operations.
  let finished: JournalRecord[] = [];
  // Groups a done operation created, adopted or deleted: recorded with the outcomes (ownership.ts).
  let owned: [string, string][] = [];
  const commit = async (begins: JournalRecord[]) => {
    const outcomes = finished;
    const marks = owned;
    finished = [];
    owned = [];
    // An outcome is journaled only once the target has made its operation durable.
    if (outcomes.length) await target.flush?.();
    if (marks.length) await store.setValues(OWNED_GROUPS, marks);
    await store.journal(outcomes.length ? [...outcomes, ...begins] : begins);
    for (const r of outcomes) {
      if (r.phase === "done") done++;
      else failed++;
    }
    if (outcomes.length) {
      await store.updateRun(run.id, { done, failed });
      x.progress?.(done, plan.operations.length);
    }
  };

  const { batchSize } = config.execution;
  const running = new InFlight();
  const pending = plan.operations.filter((op) => !journaled.get(op.seq)?.done);
  try {
    for (const phase of groupByPhase(pending)) {
      // An operation's before-image is the state it will find: for a later operation on an
      // object an unfinished operation of this phase touches, what that one leaves, not what
      // the target shows now. `leaves` holds only those objects (with the seq of the operation
      // whose prediction it holds), so it stays within two batches.
      const leaves = new Map<string, TargetEntry | null>();
      const leftBy = new Map<string, number>();
      const leave = (key: string, state: TargetEntry | null, seq: number) => {
        leaves.set(key, state);
        leftBy.set(key, seq);
      };
      // The last unfinished task on each object: a later operation on it starts after that one.
      const chains = new Map<string, Promise<void>>();
      for (let i = 0; i < phase.length; i += batchSize) {
        // The next batch is journaled while operations of the batches before are still
        // running, so the target has work while the journal commits: at most two batches'
        // worth of operations are begun and unfinished.
        await running.atMost(batchSize);
        if (fatal || signal?.aborted) break;
        const batch = phase.slice(i, i + batchSize);
        const begins: JournalRecord[] = [];
        // What each operation's begin record predicts it leaves: a done record repeats the
        // after-image only when the target reports something else.
        const predicted = new Map<number, TargetEntry | null>();
        const keys = batch.map((op) => normKey(op.key));
        const found = await readFirstBefores(batch, keys, { journaled, absent, leaves }, target, queue);
        for (const [i, op] of batch.entries()) {
          const key = keys[i] as string;
          const prior = journaled.get(op.seq)?.begin;
          const before = prior
            ? (prior.before ?? null)
            : leaves.has(key)
              ? (leaves.get(key) ?? null)
              : (found.get(op.seq) ?? null);
          if (!prior)
            begins.push({ runId: run.id, seq: op.seq, phase: "begin", at: now().toISOString(), op, before });
          const after = expectedAfter(op, before);
          predicted.set(op.seq, after);
          if (op.newKey) {
            leave(key, null, op.seq);
            leave(normKey(op.newKey), after, op.seq);
          } else leave(key, after, op.seq);
        }
        await commit(begins);
        for (const [i, op] of batch.entries()) {
          const key = keys[i] as string;
          const execute = async () => {
            // Begun but not sent: resume sends it, rollback knows it may not have happened.
            if (signal?.aborted) return;
            try {
              const after = await target.apply(op);
              const mark = ownershipMark(op, run.id);
              if (mark) owned.push(mark);
              finished.push({
                runId: run.id,
                seq: op.seq,
                phase: "done",
                at: now().toISOString(),
                ...(identicalEntry(after, predicted.get(op.seq) ?? null) ? {} : { after }),
              });
            } catch (err) {
              const e = toOverstapError(err, "TARGET_WRITE", `${op.kind} ${op.key}`);
              if (FATAL.has(e.code)) fatal ??= e;
              finished.push({
                runId: run.id,
                seq: op.seq,
                phase: "failed",
                at: now().toISOString(),
                error: { code: e.code, message: e.message },
              });
            }
          };
          const previous = chains.get(key);
          const task = previous ? previous.then(() => queue.add(execute)) : queue.add(execute);
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
          running.track(task);
        }
      }
      await running.atMost(0);
      if (fatal || signal?.aborted) break;
    }
  } finally {
    await running.atMost(0);
  }
  if (finished.length) await commit([]);
  const stopped = signal?.aborted === true && done + failed < plan.operations.length;
  const status = fatal || stopped ? "interrupted" : failed > 0 ? "failed" : "completed";
  await store.updateRun(run.id, { status, done, failed, finishedAt: now().toISOString() });
  const final = (await store.getRun(run.id)) as Run;
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

function groupByPhase(ops: Operation[]): Operation[][] {
  const phases = new Map<number, Operation[]>();
  for (const op of ops) {
    const p = phaseOf(op);
    const list = phases.get(p);
    if (list) list.push(op);
    else phases.set(p, [op]);
  }
  return [...phases.entries()].sort(([a], [b]) => a - b).map(([, list]) => list);
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
