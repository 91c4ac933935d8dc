import type { Disable } from "../config/schema.js";
import type { Group } from "./group.js";
import type { Operation } from "./operation.js";
import type { Person } from "./person.js";
import type { TargetEntry } from "./target-entry.js";
import type { TargetRules } from "./target-rules.js";

/**
 * What a source connector yields while reading. The state store applies events in order
 * and commits them together with each `checkpoint`, so an interrupted pull resumes from the
 * last checkpoint instead of starting over.
 * - `reset`: the source is sending a full snapshot; forget what it sent before (a full pull,
 *   or an expired delta link).
 * - `remove`: an object was deleted at the source (incremental pulls).
 * - `invalid`: a record that could not be read; it names the record and the field, and carries
 *   the source id when it could be read (so the planner knows that person still exists).
 * - `checkpoint`: everything before it is durable once stored; `done` marks the end of a pull.
 */
export type SourceEvent =
  | { type: "reset" }
  | { type: "person"; person: Person }
  | { type: "group"; group: Group }
  | { type: "remove"; kind: "person" | "group"; id: string }
  | { type: "invalid"; record: string; id?: string; field?: string; reason: string }
  | { type: "checkpoint"; checkpoint: unknown; done?: boolean };

/** Progress callback: `done` of `total` (total undefined when not known). */
export type ProgressFn = (done: number, total?: number) => void;

export interface SourceReadOptions {
  /** The checkpoint of the previous (possibly interrupted) pull, if any. */
  checkpoint?: unknown;
  /** Ignore the checkpoint and read everything. */
  full?: boolean;
  signal?: AbortSignal;
  progress?: ProgressFn;
}

/**
 * One finding of a connector's self-check, shown by `overstap doctor`: `ok` only for what was
 * really checked and found right; `not checked` for what the check could not look at.
 */
export interface CheckFinding {
  status: "ok" | "failed" | "not checked";
  message: string;
  hint?: string;
}

/** What a plan writes into entries of one kind: the object classes the mapping gives as text, and the attributes. */
export interface EntryWrites {
  objectClasses: string[];
  attributes: string[];
}

/** What plans may write into the target (persons, groups, disabled persons), for its self-check. */
export interface TargetWrites {
  person: EntryWrites;
  group: EntryWrites;
  /** A disabled person: the person's classes and attributes plus the disable ones. */
  disabled: EntryWrites;
}

/** A source of persons and groups (Entra ID, Google, AD, CSV, JSON, …). */
export interface SourceConnector {
  readonly name: string;
  read(options: SourceReadOptions): AsyncIterable<SourceEvent>;
  close?(): Promise<void>;
}

/**
 * A target directory. `apply` is idempotent and returns the object as it is after the
 * operation (null after a delete). `flush` makes everything applied so far durable; the
 * executor calls it before marking operations done in the journal.
 */
export interface TargetConnector {
  readonly name: string;
  read(options?: { signal?: AbortSignal; progress?: ProgressFn }): AsyncIterable<TargetEntry>;
  get(key: string, type: TargetEntry["type"]): Promise<TargetEntry | null>;
  /**
   * The object at `key` as `read` gave it, synchronously: only for targets that hold their
   * objects in memory anyway (LDIF, memory). The planner then keeps no copy of the target.
   */
  peek?(key: string, type: TargetEntry["type"]): TargetEntry | null;
  /**
   * What identifies the objects `read` gives now, computed more cheaply than hashing them: the
   * planner then hashes this instead of every object. Must change whenever an object does.
   */
  fingerprint?(): string;
  /**
   * What the target means by its entries (see {@link TargetRules}): how it disables and
   * enables, reads a disabled entry, and spells keys. `defaults` is the configuration's
   * `disable:` section; without this method, the planner uses `directoryRules(defaults)`.
   */
  rules?(defaults: Disable): TargetRules;
  apply(op: Operation): Promise<TargetEntry | null>;
  flush?(): Promise<void>;
  close(): Promise<void>;
}
