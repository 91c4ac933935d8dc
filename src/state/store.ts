import type { SourceEvent } from "../model/connector.js";
import type { Group } from "../model/group.js";
import type { JournalRecord, Run } from "../model/journal.js";
import type { Person } from "../model/person.js";

/** What the store knows of one source's snapshot. */
export interface SourceInfo {
  source: string;
  persons: number;
  groups: number;
  invalid: number;
  checkpoint: unknown;
  complete: boolean;
  pulledAt: string | null;
}

/** A record a source could not deliver, kept for the review list. */
export interface InvalidRecord {
  source: string;
  record: string;
  /** The source id, when the record was readable that far. */
  id?: string;
  field?: string;
  reason: string;
}

/**
 * What a source may read of its own previous snapshot (the Entra connector resumes and applies
 * deltas on it): read-only, never another source's data, nor runs or the journal.
 */
export interface SnapshotView {
  sourceInfo(source: string): Promise<SourceInfo | null>;
  persons(source?: string): AsyncIterable<Person>;
  groups(source?: string): AsyncIterable<Group>;
}

/**
 * The sources' snapshots: what each source delivered, as of its last checkpoint. How events
 * become a snapshot is written once, in `state/ingest.ts`; a backend stores what it is told.
 */
export interface SnapshotStore extends SnapshotView {
  /** Applies source events in order; a `checkpoint` event commits everything before it. */
  ingest(source: string, events: AsyncIterable<SourceEvent> | Iterable<SourceEvent>): Promise<SourceInfo>;
  /** The persons as stored JSON text, page by page, in the order of {@link persons} (for mapping workers, which parse them). */
  personTexts(source?: string): AsyncIterable<string[]>;
  /** The records the sources could not deliver, per source in the order they came. */
  invalidRecords(source?: string): AsyncIterable<InvalidRecord>;
  /** A hash over all snapshots, to detect a plan made on other data. */
  snapshotHash(): Promise<string>;
}

/** A small key-value space per namespace (issued identifiers, ECK iD cache, …). */
export interface ValueStore {
  getValues(ns: string, keys: string[]): Promise<Map<string, string>>;
  /** Every entry of namespace `ns`, in key order. */
  allValues(ns: string): AsyncIterable<[string, string]>;
  setValues(ns: string, entries: Iterable<[string, string]>): Promise<void>;
  /**
   * Stores `value` under `key` unless the key holds a value already, atomically (of two
   * processes, one wins); returns the value stored.
   */
  putIfAbsent(ns: string, key: string, value: string): Promise<string>;
  /** How many keys namespace `ns` holds. */
  countValues(ns: string): Promise<number>;
}

/** The runs of `apply` and `rollback`. */
export interface RunStore {
  createRun(run: Run): Promise<void>;
  /** Changes a run; a run that does not exist is a RUN_UNKNOWN error. */
  updateRun(id: string, patch: Partial<Omit<Run, "id">>): Promise<void>;
  getRun(id: string): Promise<Run | null>;
  /** All runs, by start time (then id). */
  listRuns(): Promise<Run[]>;
}

/** The journal of what runs did, operation by operation. */
export interface JournalStore {
  /** Writes journal records durably, all or none; a record of the same run, seq and phase is replaced. */
  journal(records: JournalRecord[]): Promise<void>;
  /** A run's records in (seq, phase) order. */
  readJournal(runId: string): AsyncIterable<JournalRecord>;
}

/**
 * The whole state store contract: snapshots, values, runs and the journal. SQLite is the
 * embedded default, memory the one for tests; any other backend (PostgreSQL is planned)
 * implements the same and passes `test/state/contract.ts`. Every write method is atomic. Code
 * that needs one part takes only that part.
 */
export interface StateStore extends SnapshotStore, ValueStore, RunStore, JournalStore {
  close(): Promise<void>;
}
