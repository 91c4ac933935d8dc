import type { Operation } from "../model/operation.js";
import type { Summary } from "../model/plan.js";
import type { ObjectType } from "../model/target-entry.js";
import type { RawRow } from "./perf/attribute-spool.js";
import { phaseOf } from "./phases.js";

const PHASES = 7;
/** The earliest phase {@link phaseOf} gives: its operations can be numbered as they are planned. */
const FIRST_PHASE = 1;

/** Receives a plan's operations in execution order, `seq` set. */
export interface OperationSink {
  add(op: Operation): void;
  /**
   * Optional: a person create whose attributes come as the JSON text of a spool row, taken
   * as it is (see `PlanFileWriter.addCreate`); without it, every operation goes to {@link add}.
   */
  addCreate?(seq: number, key: string, ref: string, attrs: RawRow): void;
}

/** The operation counts of a plan's summary. */
export type OperationCounts = Pick<Summary, "person" | "group" | "identityChanges" | "adoptions">;

/** Empty {@link OperationCounts}. */
export function noOperations(): OperationCounts {
  return { person: {}, group: {}, identityChanges: 0, adoptions: 0 };
}

/** Counts `op` by type and kind into `counts` (identity changes and adoptions are the caller's). */
export function tally(counts: OperationCounts, op: Pick<Operation, "type" | "kind">): void {
  const bucket = counts[op.type as ObjectType];
  bucket[op.kind] = (bucket[op.kind] ?? 0) + 1;
}

/**
 * Puts operations in execution order (phase by phase, insertion order within a phase) and
 * numbers them. Operations of the first phase (person creates, renames, updates, enables;
 * the bulk of a plan) go to the sink at once; the others are held until {@link finish}.
 * Counts are taken as operations are pushed.
 *
 * @example
 * const order = new OperationOrder({ add: (op) => out.push(op) });
 * order.push(op);
 * order.finish();
 */
export class OperationOrder {
  readonly counts: OperationCounts = noOperations();
  readonly #held: Operation[][] = Array.from({ length: PHASES }, () => []);
  /** Keys of the objects adopted (few): `counts.adoptions` counts objects, not operations. */
  readonly #adopted = new Set<string>();
  readonly #sink: OperationSink;
  #next = 0;

  constructor(sink: OperationSink) {
    this.#sink = sink;
  }

  push(op: Operation): void {
    tally(this.counts, op);
    if (op.identityChanges?.length) this.counts.identityChanges++;
    if (op.adopt && !this.#adopted.has(op.key)) {
      this.#adopted.add(op.key);
      this.counts.adoptions++;
    }
    const phase = phaseOf(op);
    if (phase <= FIRST_PHASE) this.#emit(op);
    else (this.#held[phase] as Operation[]).push(op);
  }

  /**
   * A person create with its attributes' JSON text, handed on as it is when the sink takes
   * that (returns true); otherwise nothing happens and the caller pushes the operation. Person
   * creates are of the first phase, so it is numbered and handed on at once, as `push` would.
   */
  pushCreate(key: string, ref: string, attrs: () => RawRow): boolean {
    if (!this.#sink.addCreate) return false;
    tally(this.counts, { type: "person", kind: "create" });
    this.#sink.addCreate(this.#next++, key, ref, attrs());
    return true;
  }

  /** Emits the held operations, phase by phase. */
  finish(): void {
    for (const phase of this.#held) {
      for (const op of phase) this.#emit(op);
      phase.length = 0;
    }
  }

  #emit(op: Operation): void {
    op.seq = this.#next++;
    this.#sink.add(op);
  }
}

/**
 * `operations` in execution order and numbered (see {@link OperationOrder}), as new objects.
 *
 * @example
 * const ordered = inExecutionOrder(ops); // ordered[i].seq === i
 */
export function inExecutionOrder(operations: readonly Operation[]): Operation[] {
  const out: Operation[] = [];
  const order = new OperationOrder({ add: (op) => out.push(op) });
  for (const op of operations) order.push({ ...op });
  order.finish();
  return out;
}

/**
 * Operations of a plan (in execution order) split into their phases, in phase order: a phase
 * starts when the one before has finished (see {@link phaseOf}).
 *
 * @example
 * for (const phase of byPhase(pending)) await runPhase(phase);
 */
export function byPhase(operations: readonly Operation[]): Operation[][] {
  const phases = new Map<number, Operation[]>();
  for (const op of operations) {
    const p = phaseOf(op);
    const list = phases.get(p);
    if (list) list.push(op);
    else phases.set(p, [op]);
  }
  return [...phases.entries()].sort(([a], [b]) => a - b).map(([, list]) => list);
}
