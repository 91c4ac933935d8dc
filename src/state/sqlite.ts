import Database, { type Statement } from "better-sqlite3";
import { OverstapError } from "../errors.js";
import type { SourceEvent } from "../model/connector.js";
import type { Group } from "../model/group.js";
import { type JournalRecord, type Run, RunSchema } from "../model/journal.js";
import type { Person } from "../model/person.js";
import { ensurePrivateFile, restrictFiles } from "./files.js";
import {
  ingestEvents,
  type SnapshotBackend,
  type SnapshotCommit,
  type SnapshotWriter,
  snapshotHashOf,
} from "./ingest.js";
import { patchedRun } from "./runs.js";
import type { InvalidRecord, SourceInfo, StateStore } from "./store.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
  source TEXT PRIMARY KEY, checkpoint TEXT, complete INTEGER NOT NULL DEFAULT 0,
  pulled_at TEXT, generation INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS persons (source TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (source, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS groups (source TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (source, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS invalid (source TEXT NOT NULL, seq INTEGER NOT NULL, record TEXT NOT NULL,
  id TEXT, field TEXT, reason TEXT NOT NULL, PRIMARY KEY (source, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS kv (ns TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (ns, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS runs (id TEXT PRIMARY KEY, started_at TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS journal (run_id TEXT NOT NULL, seq INTEGER NOT NULL, phase TEXT NOT NULL,
  data TEXT NOT NULL, PRIMARY KEY (run_id, seq, phase)) WITHOUT ROWID;
`;
const SCHEMA_VERSION = "1";
const PAGE = 5000;
/**
 * Key-value namespace of each source's record counts, as of its last write: counting a million
 * stored persons reads the whole table (about a second). Every write to a source drops its row;
 * the end of a pull writes it again.
 */
const COUNTS = "overstap.source-counts";

/**
 * Opens (or creates) the SQLite state store at `file`. The file and its WAL are mode 0600.
 *
 * @example
 * const store = openSqliteStore(".overstap/state.db");
 * await store.ingest("las", events);
 */
export function openSqliteStore(file: string): StateStore {
  if (file !== ":memory:") ensurePrivateFile(file);
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (err) {
    throw new OverstapError("STATE_INVALID", `cannot open the state store ${file}`, { cause: err });
  }
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  // 64 MiB of page cache (default 2 MiB): a first plan of a million persons inserts two million
  // identifier rows in key orders the B-tree does not see sequentially; 1M such inserts took
  // 8.3 s with the default cache and 4.1 s with this one.
  db.pragma("cache_size = -65536");
  db.exec(SCHEMA);
  const version = db.prepare("SELECT value FROM meta WHERE key = 'schema'").pluck().get() as
    | string
    | undefined;
  if (version === undefined)
    db.prepare("INSERT INTO meta (key, value) VALUES ('schema', ?)").run(SCHEMA_VERSION);
  else if (version !== SCHEMA_VERSION) {
    db.close();
    throw new OverstapError(
      "STATE_INVALID",
      `state store ${file} has schema version ${version}; this overstap expects ${SCHEMA_VERSION}`,
    );
  }
  if (file !== ":memory:") restrictFiles([`${file}-wal`, `${file}-shm`]);
  return new SqliteStore(db);
}

class SqliteStore implements StateStore {
  readonly #db: Database.Database;
  readonly #stmts;
  readonly #backend: SnapshotBackend;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#stmts = {
      upsertSource: db.prepare(`INSERT INTO sources (source) VALUES (?) ON CONFLICT(source) DO NOTHING`),
      commitSource: db.prepare(
        `UPDATE sources SET checkpoint = ?, complete = ?, pulled_at = ?, generation = generation + 1 WHERE source = ?`,
      ),
      markIncomplete: db.prepare(`UPDATE sources SET complete = 0, checkpoint = NULL WHERE source = ?`),
      getSource: db.prepare(`SELECT * FROM sources WHERE source = ?`),
      allSources: db.prepare(`SELECT source, generation, complete FROM sources ORDER BY source`),
      countPersons: db.prepare(`SELECT count(*) FROM persons WHERE source = ?`).pluck(),
      countGroups: db.prepare(`SELECT count(*) FROM groups WHERE source = ?`).pluck(),
      countInvalid: db.prepare(`SELECT count(*) FROM invalid WHERE source = ?`).pluck(),
      getCounts: db.prepare(`SELECT value FROM kv WHERE ns = '${COUNTS}' AND key = ?`).pluck(),
      putCounts: db.prepare(`INSERT OR REPLACE INTO kv (ns, key, value) VALUES ('${COUNTS}', ?, ?)`),
      dropCounts: db.prepare(`DELETE FROM kv WHERE ns = '${COUNTS}' AND key = ?`),
      resetPersons: db.prepare(`DELETE FROM persons WHERE source = ?`),
      resetGroups: db.prepare(`DELETE FROM groups WHERE source = ?`),
      resetInvalid: db.prepare(`DELETE FROM invalid WHERE source = ?`),
      putPerson: db.prepare(`INSERT OR REPLACE INTO persons (source, id, data) VALUES (?, ?, ?)`),
      putGroup: db.prepare(`INSERT OR REPLACE INTO groups (source, id, data) VALUES (?, ?, ?)`),
      delPerson: db.prepare(`DELETE FROM persons WHERE source = ? AND id = ?`),
      delGroup: db.prepare(`DELETE FROM groups WHERE source = ? AND id = ?`),
      putInvalid: db.prepare(
        `INSERT INTO invalid (source, seq, record, id, field, reason)
         VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM invalid WHERE source = ?), ?, ?, ?, ?)`,
      ),
      getKvMany: db.prepare(
        `SELECT key, value FROM kv WHERE ns = ? AND key IN (SELECT value FROM json_each(?))`,
      ),
      countKv: db.prepare(`SELECT count(*) FROM kv WHERE ns = ?`).pluck(),
      putKv: db.prepare(`INSERT OR REPLACE INTO kv (ns, key, value) VALUES (?, ?, ?)`),
      addKv: db.prepare(`INSERT OR IGNORE INTO kv (ns, key, value) VALUES (?, ?, ?)`),
      getKv: db.prepare(`SELECT value FROM kv WHERE ns = ? AND key = ?`).pluck(),
      putRun: db.prepare(`INSERT INTO runs (id, started_at, data) VALUES (?, ?, ?)`),
      setRun: db.prepare(`UPDATE runs SET data = ? WHERE id = ?`),
      getRun: db.prepare(`SELECT data FROM runs WHERE id = ?`).pluck(),
      listRuns: db.prepare(`SELECT data FROM runs ORDER BY started_at, id`).pluck(),
      putJournal: db.prepare(`INSERT OR REPLACE INTO journal (run_id, seq, phase, data) VALUES (?, ?, ?, ?)`),
    };
    this.#backend = this.#snapshotBackend();
  }

  ingest(source: string, events: AsyncIterable<SourceEvent> | Iterable<SourceEvent>): Promise<SourceInfo> {
    return ingestEvents(this.#backend, source, events);
  }

  /** The storage primitives under {@link ingestEvents}: each write one transaction. */
  #snapshotBackend(): SnapshotBackend {
    const s = this.#stmts;
    let source = "";
    const writer: SnapshotWriter = {
      reset() {
        s.resetPersons.run(source);
        s.resetGroups.run(source);
        s.resetInvalid.run(source);
        s.markIncomplete.run(source);
      },
      putPerson: (id, text) => s.putPerson.run(source, id, text),
      putGroup: (id, text) => s.putGroup.run(source, id, text),
      remove: (kind, id) => (kind === "person" ? s.delPerson : s.delGroup).run(source, id),
      invalid: (r) => s.putInvalid.run(source, source, r.record, r.id ?? null, r.field ?? null, r.reason),
    };
    const write = this.#db.transaction(
      (apply: (w: SnapshotWriter) => void, commit: SnapshotCommit | undefined) => {
        s.upsertSource.run(source);
        s.dropCounts.run(source);
        apply(writer);
        if (commit) {
          s.commitSource.run(
            JSON.stringify(commit.checkpoint),
            commit.complete ? 1 : 0,
            commit.pulledAt,
            source,
          );
        }
      },
    );
    return {
      write(name, apply, commit) {
        source = name;
        write(apply, commit);
      },
      sourceInfo: (name) => this.sourceInfo(name),
      ingested({ source, persons, groups, invalid }) {
        s.putCounts.run(source, JSON.stringify({ persons, groups, invalid }));
      },
    };
  }

  /** The source's record counts: as kept since its last write, else counted. */
  #counts(source: string): Pick<SourceInfo, "persons" | "groups" | "invalid"> {
    const kept = this.#stmts.getCounts.get(source) as string | undefined;
    if (kept !== undefined) return JSON.parse(kept) as Pick<SourceInfo, "persons" | "groups" | "invalid">;
    return {
      persons: this.#stmts.countPersons.get(source) as number,
      groups: this.#stmts.countGroups.get(source) as number,
      invalid: this.#stmts.countInvalid.get(source) as number,
    };
  }

  async sourceInfo(source: string): Promise<SourceInfo | null> {
    const row = this.#stmts.getSource.get(source) as
      | { checkpoint: string | null; complete: number; pulled_at: string | null }
      | undefined;
    if (!row) return null;
    return {
      source,
      ...this.#counts(source),
      checkpoint: row.checkpoint === null ? undefined : JSON.parse(row.checkpoint),
      complete: row.complete === 1,
      pulledAt: row.pulled_at,
    };
  }

  persons(source?: string): AsyncIterable<Person> {
    return this.#page("persons", source, (data) => JSON.parse(data) as Person);
  }

  async *personTexts(source?: string): AsyncIterable<string[]> {
    // The texts alone, and the key of a page's last row by a second query: a million rows of
    // [source, id, data] cost twice the time of their texts.
    const where = source === undefined ? "(source, id) > (?, ?)" : "source = ? AND id > ?";
    const order = source === undefined ? "source, id" : "id";
    const texts = this.#db
      .prepare(`SELECT data FROM persons WHERE ${where} ORDER BY ${order} LIMIT ${PAGE}`)
      .pluck();
    const lastKey = this.#db
      .prepare(`SELECT source, id FROM persons WHERE ${where} ORDER BY ${order} LIMIT 1 OFFSET ${PAGE - 1}`)
      .raw();
    let after: [string, string] | undefined = [source ?? "", ""];
    while (after) {
      const page = texts.all(...after) as string[];
      if (page.length === 0) return;
      after = page.length < PAGE ? undefined : (lastKey.get(...after) as [string, string]);
      yield page;
    }
  }

  groups(source?: string): AsyncIterable<Group> {
    return this.#page("groups", source, (data) => JSON.parse(data) as Group);
  }

  async *invalidRecords(source?: string): AsyncIterable<InvalidRecord> {
    const rows = (
      source === undefined
        ? this.#db.prepare(`SELECT * FROM invalid ORDER BY source, seq`).all()
        : this.#db.prepare(`SELECT * FROM invalid WHERE source = ? ORDER BY seq`).all(source)
    ) as { source: string; record: string; id: string | null; field: string | null; reason: string }[];
    for (const r of rows) {
      yield {
        source: r.source,
        record: r.record,
        ...(r.id ? { id: r.id } : {}),
        ...(r.field ? { field: r.field } : {}),
        reason: r.reason,
      };
    }
  }

  async snapshotHash(): Promise<string> {
    const rows = this.#stmts.allSources.all() as { source: string; generation: number; complete: number }[];
    return snapshotHashOf(
      rows.map((r) => ({ source: r.source, generation: r.generation, complete: r.complete === 1 })),
    );
  }

  async getValues(ns: string, keys: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < keys.length; i += PAGE) {
      const rows = this.#stmts.getKvMany.all(ns, JSON.stringify(keys.slice(i, i + PAGE))) as {
        key: string;
        value: string;
      }[];
      for (const r of rows) out.set(r.key, r.value);
    }
    return out;
  }

  async *allValues(ns: string): AsyncIterable<[string, string]> {
    let after = "";
    const stmt = this.#db.prepare(
      `SELECT key, value FROM kv WHERE ns = ? AND key > ? ORDER BY key LIMIT ${PAGE}`,
    );
    for (;;) {
      const rows = stmt.all(ns, after) as { key: string; value: string }[];
      for (const r of rows) yield [r.key, r.value];
      if (rows.length < PAGE) return;
      after = (rows[rows.length - 1] as { key: string }).key;
    }
  }

  async countValues(ns: string): Promise<number> {
    return this.#stmts.countKv.get(ns) as number;
  }

  async setValues(ns: string, entries: Iterable<[string, string]>): Promise<void> {
    const put = this.#stmts.putKv;
    this.#db.transaction(() => {
      for (const [k, v] of entries) put.run(ns, k, v);
    })();
  }

  async putIfAbsent(ns: string, key: string, value: string): Promise<string> {
    return this.#db.transaction(() => {
      this.#stmts.addKv.run(ns, key, value);
      return this.#stmts.getKv.get(ns, key) as string;
    })();
  }

  async createRun(run: Run): Promise<void> {
    this.#stmts.putRun.run(run.id, run.startedAt, JSON.stringify(RunSchema.parse(run)));
  }

  async updateRun(id: string, patch: Partial<Omit<Run, "id">>): Promise<void> {
    this.#stmts.setRun.run(JSON.stringify(patchedRun(id, await this.getRun(id), patch)), id);
  }

  async getRun(id: string): Promise<Run | null> {
    const data = this.#stmts.getRun.get(id) as string | undefined;
    return data === undefined ? null : RunSchema.parse(JSON.parse(data));
  }

  async listRuns(): Promise<Run[]> {
    return (this.#stmts.listRuns.all() as string[]).map((d) => RunSchema.parse(JSON.parse(d)));
  }

  async journal(records: JournalRecord[]): Promise<void> {
    const put = this.#stmts.putJournal;
    this.#db.transaction(() => {
      for (const r of records) put.run(r.runId, r.seq, r.phase, JSON.stringify(r));
    })();
  }

  async *readJournal(runId: string): AsyncIterable<JournalRecord> {
    const stmt = this.#db.prepare(
      `SELECT seq, phase, data FROM journal WHERE run_id = ? AND (seq, phase) > (?, ?) ORDER BY seq, phase LIMIT ${PAGE}`,
    );
    let seq = -1;
    let phase = "";
    for (;;) {
      const rows = stmt.all(runId, seq, phase) as { seq: number; phase: string; data: string }[];
      for (const r of rows) yield JSON.parse(r.data) as JournalRecord;
      if (rows.length < PAGE) return;
      const last = rows[rows.length - 1] as { seq: number; phase: string };
      seq = last.seq;
      phase = last.phase;
    }
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }

  /** One page of a table in key order, after the (source, id) given; rows as [source, id, data]. */
  #pageStatement(table: "persons" | "groups", source: string | undefined): Statement {
    return (
      source === undefined
        ? this.#db.prepare(
            `SELECT source, id, data FROM ${table} WHERE (source, id) > (?, ?) ORDER BY source, id LIMIT ${PAGE}`,
          )
        : this.#db.prepare(
            `SELECT source, id, data FROM ${table} WHERE source = ? AND id > ? ORDER BY id LIMIT ${PAGE}`,
          )
    ).raw();
  }

  async *#page<T>(
    table: "persons" | "groups",
    source: string | undefined,
    parse: (data: string) => T,
  ): AsyncIterable<T> {
    const stmt = this.#pageStatement(table, source);
    let lastSource = source ?? "";
    let lastId = "";
    for (;;) {
      const rows = stmt.all(lastSource, lastId) as [string, string, string][];
      const last = rows[rows.length - 1];
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i] as [string, string, string];
        rows[i] = EMPTY_ROW;
        yield parse(row[2]);
      }
      if (rows.length < PAGE || last === undefined) return;
      lastSource = last[0];
      lastId = last[1];
    }
  }
}

/** Stands in for a row already handed out, so a page's text can be collected while it is being read. */
const EMPTY_ROW: [string, string, string] = ["", "", ""];
