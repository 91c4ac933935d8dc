import { OverstapError } from "../errors.js";
import type { SourceEvent } from "../model/connector.js";
import type { Group } from "../model/group.js";
import { type JournalRecord, type Run, RunSchema } from "../model/journal.js";
import type { Person } from "../model/person.js";
import {
  ingestEvents,
  type SnapshotBackend,
  type SnapshotCommit,
  type SnapshotWriter,
  snapshotHashOf,
} from "./ingest.js";
import { patchedRun } from "./runs.js";
import type { InvalidRecord, SourceInfo, StateStore } from "./store.js";

/** Persons' texts returned per page by `personTexts`. */
const PAGE = 5000;

/** One source's snapshot as the memory store holds it. */
interface MemorySource {
  persons: Map<string, string>;
  groups: Map<string, string>;
  invalid: InvalidRecord[];
  checkpoint: unknown;
  complete: boolean;
  pulledAt: string | null;
  generation: number;
}

/**
 * A state store in memory, for tests and embedders that keep no state between runs: the whole
 * contract with the same ingest rules as SQLite, nothing written anywhere. Values are kept as
 * the JSON text SQLite would store, so what is read back is a copy.
 *
 * @example
 * const store = openMemoryStore();
 * await store.ingest("las", source.read({}));
 */
export function openMemoryStore(): StateStore {
  return new MemoryStore();
}

class MemoryStore implements StateStore {
  readonly #sources = new Map<string, MemorySource>();
  readonly #values = new Map<string, Map<string, string>>();
  readonly #runs = new Map<string, string>();
  readonly #journal = new Map<string, Map<string, string>>();
  readonly #backend: SnapshotBackend = {
    write: (source, apply, commit) => this.#write(source, apply, commit),
    sourceInfo: (source) => this.sourceInfo(source),
  };

  ingest(source: string, events: AsyncIterable<SourceEvent> | Iterable<SourceEvent>): Promise<SourceInfo> {
    return ingestEvents(this.#backend, source, events);
  }

  /** Collects the writes first and applies them only once all were made: all or none. */
  #write(source: string, apply: (w: SnapshotWriter) => void, commit: SnapshotCommit | undefined): void {
    const writes: ((s: MemorySource) => void)[] = [];
    apply({
      reset: () =>
        writes.push((s) => {
          s.persons.clear();
          s.groups.clear();
          s.invalid.length = 0;
          s.complete = false;
          s.checkpoint = undefined;
        }),
      putPerson: (id, text) => writes.push((s) => s.persons.set(id, text)),
      putGroup: (id, text) => writes.push((s) => s.groups.set(id, text)),
      remove: (kind, id) => writes.push((s) => (kind === "person" ? s.persons : s.groups).delete(id)),
      invalid: (r) => writes.push((s) => s.invalid.push({ source, ...r })),
    });
    const s = this.#sources.get(source) ?? emptySource();
    this.#sources.set(source, s);
    for (const w of writes) w(s);
    if (commit) {
      s.checkpoint = JSON.parse(JSON.stringify(commit.checkpoint));
      s.complete = commit.complete;
      s.pulledAt = commit.pulledAt;
      s.generation++;
    }
  }

  async sourceInfo(source: string): Promise<SourceInfo | null> {
    const s = this.#sources.get(source);
    if (!s) return null;
    return {
      source,
      persons: s.persons.size,
      groups: s.groups.size,
      invalid: s.invalid.length,
      checkpoint: s.checkpoint === undefined ? undefined : JSON.parse(JSON.stringify(s.checkpoint)),
      complete: s.complete,
      pulledAt: s.pulledAt,
    };
  }

  async *persons(source?: string): AsyncIterable<Person> {
    for (const text of this.#texts("persons", source)) yield JSON.parse(text) as Person;
  }

  async *personTexts(source?: string): AsyncIterable<string[]> {
    const texts = this.#texts("persons", source);
    for (let i = 0; i < texts.length; i += PAGE) yield texts.slice(i, i + PAGE);
  }

  async *groups(source?: string): AsyncIterable<Group> {
    for (const text of this.#texts("groups", source)) yield JSON.parse(text) as Group;
  }

  async *invalidRecords(source?: string): AsyncIterable<InvalidRecord> {
    for (const name of this.#sourceNames(source)) {
      for (const r of this.#sources.get(name)?.invalid ?? []) yield { ...r };
    }
  }

  async snapshotHash(): Promise<string> {
    return snapshotHashOf(
      this.#sourceNames(undefined).map((source) => {
        const s = this.#sources.get(source) as MemorySource;
        return { source, generation: s.generation, complete: s.complete };
      }),
    );
  }

  async getValues(ns: string, keys: string[]): Promise<Map<string, string>> {
    const space = this.#values.get(ns);
    const out = new Map<string, string>();
    for (const k of keys) {
      const v = space?.get(k);
      if (v !== undefined) out.set(k, v);
    }
    return out;
  }

  async *allValues(ns: string): AsyncIterable<[string, string]> {
    const space = this.#values.get(ns) ?? new Map<string, string>();
    for (const k of [...space.keys()].sort(byCodePoint)) yield [k, space.get(k) as string];
  }

  async setValues(ns: string, entries: Iterable<[string, string]>): Promise<void> {
    const all = [...entries];
    const space = this.#space(ns);
    for (const [k, v] of all) space.set(k, v);
  }

  async putIfAbsent(ns: string, key: string, value: string): Promise<string> {
    const space = this.#space(ns);
    const held = space.get(key);
    if (held !== undefined) return held;
    space.set(key, value);
    return value;
  }

  async countValues(ns: string): Promise<number> {
    return this.#values.get(ns)?.size ?? 0;
  }

  async createRun(run: Run): Promise<void> {
    if (this.#runs.has(run.id)) throw new OverstapError("STATE_INVALID", `run ${run.id} exists already`);
    this.#runs.set(run.id, JSON.stringify(RunSchema.parse(run)));
  }

  async updateRun(id: string, patch: Partial<Omit<Run, "id">>): Promise<void> {
    this.#runs.set(id, JSON.stringify(patchedRun(id, await this.getRun(id), patch)));
  }

  async getRun(id: string): Promise<Run | null> {
    const data = this.#runs.get(id);
    return data === undefined ? null : RunSchema.parse(JSON.parse(data));
  }

  async listRuns(): Promise<Run[]> {
    const runs = [...this.#runs.values()].map((d) => RunSchema.parse(JSON.parse(d)));
    return runs.sort((a, b) => byCodePoint(a.startedAt, b.startedAt) || byCodePoint(a.id, b.id));
  }

  async journal(records: JournalRecord[]): Promise<void> {
    const texts = records.map((r) => [r.runId, journalKey(r.seq, r.phase), JSON.stringify(r)] as const);
    for (const [runId, key, text] of texts) {
      const run = this.#journal.get(runId) ?? new Map<string, string>();
      this.#journal.set(runId, run);
      run.set(key, text);
    }
  }

  async *readJournal(runId: string): AsyncIterable<JournalRecord> {
    const run = this.#journal.get(runId);
    if (!run) return;
    const records = [...run.values()].map((t) => JSON.parse(t) as JournalRecord);
    records.sort((a, b) => a.seq - b.seq || byCodePoint(a.phase, b.phase));
    yield* records;
  }

  async close(): Promise<void> {}

  #space(ns: string): Map<string, string> {
    const space = this.#values.get(ns) ?? new Map<string, string>();
    this.#values.set(ns, space);
    return space;
  }

  #sourceNames(source: string | undefined): string[] {
    if (source !== undefined) return this.#sources.has(source) ? [source] : [];
    return [...this.#sources.keys()].sort(byCodePoint);
  }

  /** The stored texts of persons or groups, in (source, id) order as SQLite gives them. */
  #texts(kind: "persons" | "groups", source: string | undefined): string[] {
    const out: string[] = [];
    for (const name of this.#sourceNames(source)) {
      const table = (this.#sources.get(name) as MemorySource)[kind];
      for (const id of [...table.keys()].sort(byCodePoint)) out.push(table.get(id) as string);
    }
    return out;
  }
}

function emptySource(): MemorySource {
  const empty = { checkpoint: undefined, complete: false, pulledAt: null, generation: 0 };
  return { persons: new Map(), groups: new Map(), invalid: [], ...empty };
}

/** A journal record's place in its run: `seq`, then `phase`. */
function journalKey(seq: number, phase: string): string {
  return `${seq}\0${phase}`;
}

/**
 * Orders strings by Unicode code point, as SQLite's BINARY collation orders their UTF-8 bytes
 * (JavaScript's `<` compares UTF-16 units, which differs above U+FFFF).
 */
function byCodePoint(a: string, b: string): number {
  if (a === b) return 0;
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
