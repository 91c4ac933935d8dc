import type { Pool, PoolClient } from "pg";
import type { SourceEvent } from "../model/connector.js";
import type { Group } from "../model/group.js";
import type { Person } from "../model/person.js";
import {
  ingestEvents,
  type SnapshotBackend,
  type SnapshotCommit,
  type SnapshotWriter,
  snapshotHashOf,
} from "./ingest.js";
import { CHUNK, inTransaction, upsertRows } from "./pg-sql.js";
import type { InvalidRecord, SnapshotStore, SourceInfo } from "./store.js";

/** Key-value namespace of each source's record counts, as of its last write (as in SQLite). */
const COUNTS = "overstap.source-counts";

type Counts = Pick<SourceInfo, "persons" | "groups" | "invalid">;

/**
 * One batch of snapshot writes reduced to its outcome: whether the source was reset, the last
 * text (or null: removed) of each person and group since, and the invalid records since.
 */
class BatchWrites implements SnapshotWriter {
  wasReset = false;
  persons = new Map<string, string | null>();
  groups = new Map<string, string | null>();
  invalidRecords: Omit<InvalidRecord, "source">[] = [];

  reset(): void {
    this.wasReset = true;
    this.persons.clear();
    this.groups.clear();
    this.invalidRecords = [];
  }
  putPerson(id: string, text: string): void {
    this.persons.set(id, text);
  }
  putGroup(id: string, text: string): void {
    this.groups.set(id, text);
  }
  remove(kind: "person" | "group", id: string): void {
    (kind === "person" ? this.persons : this.groups).set(id, null);
  }
  invalid(record: Omit<InvalidRecord, "source">): void {
    this.invalidRecords.push(record);
  }
}

/** The snapshot half of the PostgreSQL store, on the tables of `schema`. */
export class PgSnapshots implements SnapshotStore {
  readonly #pool: Pool;
  readonly #s: string;
  readonly #backend: SnapshotBackend;

  constructor(pool: Pool, schema: string) {
    this.#pool = pool;
    this.#s = schema;
    this.#backend = {
      write: (source, apply, commit) => this.#write(source, apply, commit),
      sourceInfo: (source) => this.sourceInfo(source),
      ingested: async ({ source, persons, groups, invalid }) => {
        await this.#pool.query(
          `INSERT INTO ${this.#s}.kv (ns, key, value) VALUES ($1, $2, $3)
           ON CONFLICT (ns, key) DO UPDATE SET value = EXCLUDED.value`,
          [COUNTS, source, JSON.stringify({ persons, groups, invalid })],
        );
      },
    };
  }

  ingest(source: string, events: AsyncIterable<SourceEvent> | Iterable<SourceEvent>): Promise<SourceInfo> {
    return ingestEvents(this.#backend, source, events);
  }

  /** Stores one batch and its commit in one transaction, with multi-row statements. */
  async #write(source: string, apply: (w: SnapshotWriter) => void, commit?: SnapshotCommit): Promise<void> {
    const batch = new BatchWrites();
    apply(batch);
    const s = this.#s;
    await inTransaction(this.#pool, async (c) => {
      await c.query(`INSERT INTO ${s}.sources (source) VALUES ($1) ON CONFLICT DO NOTHING`, [source]);
      await c.query(`DELETE FROM ${s}.kv WHERE ns = $1 AND key = $2`, [COUNTS, source]);
      if (batch.wasReset) await this.#reset(c, source);
      await this.#storeRecords(c, "persons", source, batch.persons);
      await this.#storeRecords(c, "groups", source, batch.groups);
      await this.#appendInvalid(c, source, batch.invalidRecords);
      if (commit) {
        await c.query(
          `UPDATE ${s}.sources SET checkpoint = $1, complete = $2, pulled_at = $3, generation = generation + 1
           WHERE source = $4`,
          [JSON.stringify(commit.checkpoint), commit.complete, commit.pulledAt, source],
        );
      }
    });
  }

  async #reset(c: PoolClient, source: string): Promise<void> {
    const s = this.#s;
    for (const table of ["persons", "groups", "invalid"])
      await c.query(`DELETE FROM ${s}.${table} WHERE source = $1`, [source]);
    await c.query(`UPDATE ${s}.sources SET complete = false, checkpoint = NULL WHERE source = $1`, [source]);
  }

  async #storeRecords(
    c: PoolClient,
    table: "persons" | "groups",
    source: string,
    records: Map<string, string | null>,
  ): Promise<void> {
    const removed: string[] = [];
    const rows: unknown[][] = [];
    for (const [id, text] of records) {
      if (text === null) removed.push(id);
      else rows.push([source, id, text]);
    }
    for (let i = 0; i < removed.length; i += CHUNK) {
      await c.query(`DELETE FROM ${this.#s}.${table} WHERE source = $1 AND id = ANY($2::text[])`, [
        source,
        removed.slice(i, i + CHUNK),
      ]);
    }
    const columns = [
      { name: "source", type: "text" },
      { name: "id", type: "text" },
      { name: "data", type: "text" },
    ];
    await upsertRows(c, `${this.#s}.${table}`, columns, 2, rows);
  }

  async #appendInvalid(
    c: PoolClient,
    source: string,
    records: Omit<InvalidRecord, "source">[],
  ): Promise<void> {
    if (records.length === 0) return;
    const res = await c.query(`SELECT coalesce(max(seq), 0) AS m FROM ${this.#s}.invalid WHERE source = $1`, [
      source,
    ]);
    const base = Number(res.rows[0]?.m ?? 0);
    const rows = records.map((r, i) => [
      source,
      base + i + 1,
      r.record,
      r.id ?? null,
      r.field ?? null,
      r.reason,
    ]);
    const columns = ["source:text", "seq:int", "record:text", "id:text", "field:text", "reason:text"].map(
      (c) => {
        const [name, type] = c.split(":") as [string, string];
        return { name, type };
      },
    );
    await upsertRows(c, `${this.#s}.invalid`, columns, 2, rows);
  }

  async #counts(source: string): Promise<Counts> {
    const s = this.#s;
    const kept = await this.#pool.query(`SELECT value FROM ${s}.kv WHERE ns = $1 AND key = $2`, [
      COUNTS,
      source,
    ]);
    if (kept.rows[0]) return JSON.parse(kept.rows[0].value as string) as Counts;
    const res = await this.#pool.query(
      `SELECT (SELECT count(*) FROM ${s}.persons WHERE source = $1) AS persons,
              (SELECT count(*) FROM ${s}.groups WHERE source = $1) AS groups,
              (SELECT count(*) FROM ${s}.invalid WHERE source = $1) AS invalid`,
      [source],
    );
    const row = res.rows[0] as Record<keyof Counts, string>;
    return { persons: Number(row.persons), groups: Number(row.groups), invalid: Number(row.invalid) };
  }

  async sourceInfo(source: string): Promise<SourceInfo | null> {
    const res = await this.#pool.query(
      `SELECT checkpoint, complete, pulled_at FROM ${this.#s}.sources WHERE source = $1`,
      [source],
    );
    const row = res.rows[0] as
      | { checkpoint: string | null; complete: boolean; pulled_at: string | null }
      | undefined;
    if (!row) return null;
    return {
      source,
      ...(await this.#counts(source)),
      checkpoint: row.checkpoint === null ? undefined : JSON.parse(row.checkpoint),
      complete: row.complete,
      pulledAt: row.pulled_at,
    };
  }

  async *persons(source?: string): AsyncIterable<Person> {
    for await (const page of this.#pages("persons", source))
      for (const text of page) yield JSON.parse(text) as Person;
  }

  personTexts(source?: string): AsyncIterable<string[]> {
    return this.#pages("persons", source);
  }

  async *groups(source?: string): AsyncIterable<Group> {
    for await (const page of this.#pages("groups", source))
      for (const text of page) yield JSON.parse(text) as Group;
  }

  /** A table's texts page by page in (source, id) order, by keyset. */
  async *#pages(table: "persons" | "groups", source: string | undefined): AsyncIterable<string[]> {
    const where = source === undefined ? "(source, id) > ($1, $2)" : "source = $1 AND id > $2";
    const sql = `SELECT source, id, data FROM ${this.#s}.${table} WHERE ${where} ORDER BY source, id LIMIT ${CHUNK}`;
    let after: [string, string] = [source ?? "", ""];
    for (;;) {
      const res = await this.#pool.query({ text: sql, values: after, rowMode: "array" });
      const rows = res.rows as [string, string, string][];
      if (rows.length === 0) return;
      const last = rows[rows.length - 1] as [string, string, string];
      after = [last[0], last[1]];
      yield rows.map((r) => r[2]);
      if (rows.length < CHUNK) return;
    }
  }

  async *invalidRecords(source?: string): AsyncIterable<InvalidRecord> {
    const s = this.#s;
    const res =
      source === undefined
        ? await this.#pool.query(`SELECT * FROM ${s}.invalid ORDER BY source, seq`)
        : await this.#pool.query(`SELECT * FROM ${s}.invalid WHERE source = $1 ORDER BY seq`, [source]);
    for (const r of res.rows as {
      source: string;
      record: string;
      id: string | null;
      field: string | null;
      reason: string;
    }[]) {
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
    const res = await this.#pool.query(
      `SELECT source, generation, complete FROM ${this.#s}.sources ORDER BY source`,
    );
    return snapshotHashOf(
      (res.rows as { source: string; generation: string; complete: boolean }[]).map((r) => ({
        source: r.source,
        generation: Number(r.generation),
        complete: r.complete,
      })),
    );
  }
}
