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
 * The state store contract. SQLite is the embedded default; any other backend (PostgreSQL is
 * planned) implements the same methods. Every write method is atomic.
 */
export interface StateStore {
  /** Applies source events in order; a `checkpoint` event commits everything before it. */
  ingest(source: string, events: AsyncIterable<SourceEvent> | Iterable<SourceEvent>): Promise<SourceInfo>;
  sourceInfo(source: string): Promise<SourceInfo | null>;
  persons(source?: string): AsyncIterable<Person>;
  /** The persons as stored JSON text, page by page, in the order of {@link persons} (for mapping workers, which parse them). */
  personTexts(source?: string): AsyncIterable<string[]>;
  groups(source?: string): AsyncIterable<Group>;
  invalidRecords(source?: string): AsyncIterable<InvalidRecord>;
  /** A hash over all snapshots, to detect a plan made on other data. */
  snapshotHash(): Promise<string>;

  /** A small key-value space per namespace (issued identifiers, ECK iD cache, …). */
  getValues(ns: string, keys: string[]): Promise<Map<string, string>>;
  allValues(ns: string): AsyncIterable<[string, string]>;
  setValues(ns: string, entries: Iterable<[string, string]>): Promise<void>;
  /**
   * Stores `value` under `key` unless the key holds a value already, atomically (of two
   * processes, one wins); returns the value stored.
   */
  putIfAbsent(ns: string, key: string, value: string): Promise<string>;
  /** How many keys namespace `ns` holds. */
  countValues(ns: string): Promise<number>;

  createRun(run: Run): Promise<void>;
  updateRun(id: string, patch: Partial<Omit<Run, "id">>): Promise<void>;
  getRun(id: string): Promise<Run | null>;
  listRuns(): Promise<Run[]>;
  /** Writes journal records durably, all or none. */
  journal(records: JournalRecord[]): Promise<void>;
  readJournal(runId: string): AsyncIterable<JournalRecord>;

  close(): Promise<void>;
}
