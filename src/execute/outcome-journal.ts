import type { ProgressFn, TargetConnector } from "../model/connector.js";
import type { JournalRecord } from "../model/journal.js";
import { OWNED_GROUPS } from "../plan/ownership.js";
import type { StateStore } from "../state/store.js";

/**
 * Journals a run's records durably and counts its outcomes. Done and failed records wait for
 * the next batch's begin records and are committed with them (one durable transaction instead
 * of two), or on their own at the end. Until then they are only lost to a crash, after which
 * resume replays those operations. An outcome is journaled only once the target has made its
 * operation durable.
 *
 * @example
 * const journal = new OutcomeJournal({ store, target, runId, total, done: 0 });
 * await journal.commit(begins); // begin records, with the outcomes so far
 */
export class OutcomeJournal {
  done: number;
  failed = 0;
  readonly #store: StateStore;
  readonly #target: TargetConnector;
  readonly #runId: string;
  readonly #total: number;
  readonly #progress: ProgressFn | undefined;
  #finished: JournalRecord[] = [];
  /** Groups a done operation created, adopted or deleted: recorded with the outcomes (ownership.ts). */
  #owned: [string, string][] = [];

  constructor(run: {
    store: StateStore;
    target: TargetConnector;
    runId: string;
    total: number;
    done: number;
    progress?: ProgressFn | undefined;
  }) {
    this.#store = run.store;
    this.#target = run.target;
    this.#runId = run.runId;
    this.#total = run.total;
    this.#progress = run.progress;
    this.done = run.done;
  }

  /** True when outcomes wait to be committed. */
  get pending(): boolean {
    return this.#finished.length > 0;
  }

  /** Notes an operation's outcome (and the group it made Overstap's, if any) for the next commit. */
  record(outcome: JournalRecord, owned?: [string, string]): void {
    this.#finished.push(outcome);
    if (owned) this.#owned.push(owned);
  }

  /** Commits `begins` with the outcomes noted since the last commit, and updates the run's counts. */
  async commit(begins: JournalRecord[]): Promise<void> {
    const outcomes = this.#finished;
    const marks = this.#owned;
    this.#finished = [];
    this.#owned = [];
    if (outcomes.length) await this.#target.flush?.();
    if (marks.length) await this.#store.setValues(OWNED_GROUPS, marks);
    await this.#store.journal(outcomes.length ? [...outcomes, ...begins] : begins);
    for (const r of outcomes) {
      if (r.phase === "done") this.done++;
      else this.failed++;
    }
    if (outcomes.length) {
      await this.#store.updateRun(this.#runId, { done: this.done, failed: this.failed });
      this.#progress?.(this.done, this.#total);
    }
  }
}
