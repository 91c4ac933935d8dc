import type { Config } from "../config/schema.js";
import { OverstapError } from "../errors.js";
import type { TargetConnector } from "../model/connector.js";
import { expectedAfter, fingerprint, sameEntry } from "../model/entry.js";
import { afterImage } from "../model/journal.js";
import type { Operation } from "../model/operation.js";
import { emptySummary, type Summary } from "../model/plan.js";
import type { ReviewItem } from "../model/review.js";
import type { TargetEntry } from "../model/target-entry.js";
import { replaceAttributes } from "../plan/diff.js";
import { normKey } from "../plan/keys.js";
import { inExecutionOrder, noOperations, tally } from "../plan/operation-order.js";
import type { Plan } from "../plan/plan-file.js";
import { planHeader } from "../plan/plan-header.js";
import type { StateStore } from "../state/store.js";
import { journaledOps } from "./journaled.js";
import { targetLookup } from "./target-lookup.js";

export interface RollbackOptions {
  runId: string;
  config: Config;
  configHash: string;
  store: StateStore;
  target: TargetConnector;
  /** Also restore objects someone changed after the run (their change is lost). */
  force?: boolean;
  now?: Date;
}

/** One object the run touched, followed across renames. */
interface Touched {
  type: TargetEntry["type"];
  originalKey: string;
  currentKey: string;
  before: TargetEntry | null;
  /**
   * The states the run may have left the object in: one after a confirmed operation; more when
   * operations were begun but not confirmed (each may or may not have happened).
   */
  possible: (TargetEntry | null)[];
}

/**
 * Builds the inverse plan of a run from its journal: every object the run touched goes back
 * to its before-image (value order included). An object changed by someone else since the run
 * (drift) is reported in the review list and left alone, unless `force`. The result is an
 * ordinary plan: saved, shown as a diff, applied and journaled like any other, so a rollback
 * can itself be rolled back.
 */
export async function planRollback(options: RollbackOptions): Promise<Plan> {
  const { store, target, runId } = options;
  const now = options.now ?? new Date();
  const run = await store.getRun(runId);
  if (!run)
    throw new OverstapError("RUN_UNKNOWN", `there is no run ${runId}`, {
      hint: "`overstap runs` lists the runs.",
    });

  const objects = await touchedObjects(store, runId);
  const ops: Operation[] = [];
  const review: ReviewItem[] = [];
  const lookup = await targetLookup(target, objects.size, true);
  for (const obj of objects.values()) {
    const current = await lookup(obj.currentKey, obj.type);
    const uncertain = obj.possible.length > 1;
    const currentAtOld =
      obj.currentKey === obj.originalKey || !uncertain ? current : await lookup(obj.originalKey, obj.type);
    const here = current ?? (uncertain ? currentAtOld : null);
    if (!obj.possible.some((p) => sameEntry(p, here)) && !options.force) {
      review.push({
        record: obj.currentKey,
        rule: "rollback-drift",
        reason: `${obj.currentKey} was changed after run ${runId}; left alone (use --force to restore it anyway)`,
        severity: "error",
      });
      continue;
    }
    const op = restoreOperation(obj, here, runId);
    if (op) ops.push(op);
  }

  const ordered = inExecutionOrder(ops);
  const counts = noOperations();
  for (const op of ordered) tally(counts, op);
  const summary: Summary = { ...emptySummary(), ...counts, review: { error: review.length, warning: 0 } };
  return {
    header: planHeader({
      config: options.config,
      now,
      stage: { name: run.stage, index: run.stageIndex },
      kind: "rollback",
      rollbackOf: runId,
      inputs: { snapshot: "", mapping: "", config: options.configHash, target: "" },
      summary,
    }),
    operations: ordered,
    review,
  };
}

/** Every object run `runId` touched, from its journal, by its current normalised key. */
async function touchedObjects(
  store: Pick<StateStore, "readJournal">,
  runId: string,
): Promise<Map<string, Touched>> {
  const objects = new Map<string, Touched>();
  const records = await journaledOps(store, runId);
  for (const [, { begin, done }] of [...records].sort(([a], [b]) => a - b)) {
    if (!begin) continue;
    const op = begin.op;
    const before = begin.before ?? null;
    const key = normKey(op.key);
    const obj = objects.get(key) ?? {
      type: op.type,
      originalKey: op.key,
      currentKey: op.key,
      before,
      possible: [before],
    };
    objects.delete(key);
    const after = done ? afterImage(begin, done) : undefined;
    if (after !== undefined) obj.possible = [after];
    else {
      const next = [
        ...obj.possible,
        ...obj.possible.map((p) => expectedAfter(op, p)),
        expectedAfter(op, before),
      ];
      obj.possible = next.filter((p, i) => next.findIndex((q) => sameEntry(p, q)) === i);
    }
    obj.currentKey = after?.key ?? op.newKey ?? op.key;
    objects.set(normKey(obj.currentKey), obj);
  }
  return objects;
}

/** The operation that brings the object from `live` back to its before-image, if any. */
function restoreOperation(obj: Touched, live: TargetEntry | null, runId: string): Operation | null {
  const { type, before: desired } = obj;
  if (sameEntry(live, desired)) return null;
  if (desired === null) {
    if (!live) return null;
    return {
      seq: 0,
      kind: "delete",
      type,
      key: live.key,
      fingerprint: fingerprint(live),
      reason: `created by run ${runId}`,
    };
  }
  if (live === null) {
    return {
      seq: 0,
      kind: "create",
      type,
      key: desired.key,
      attrs: desired.attrs,
      fingerprint: null,
      reason: `removed by run ${runId}`,
    };
  }
  const changes = replaceAttributes(live.attrs, desired.attrs);
  if (normKey(live.key) !== normKey(desired.key)) {
    return {
      seq: 0,
      kind: "rename",
      type,
      key: live.key,
      newKey: desired.key,
      changes,
      fingerprint: fingerprint(live),
      reason: `renamed by run ${runId}`,
    };
  }
  if (!changes.length) return null;
  return {
    seq: 0,
    kind: "update",
    type,
    key: live.key,
    changes,
    fingerprint: fingerprint(live),
    reason: `changed by run ${runId}`,
  };
}
