import { Agent, request } from "node:https";
import type { ConnectorContext } from "../../../src/config/connector-context.js";
import { resolveSecret } from "../../../src/config/secret.js";
import { OverstapError } from "../../../src/errors.js";
import type { SourceConnector, SourceEvent, SourceReadOptions } from "../../../src/model/connector.js";
import type { Group } from "../../../src/model/group.js";
import type { Person } from "../../../src/model/person.js";
import type { SourceInfo, StateStore } from "../../../src/state/store.js";

/**
 * A fetch over node:https that trusts the simulator's private CA, for tests that run in a
 * process started without NODE_EXTRA_CA_CERTS.
 */
export function caFetch(caPem: string): typeof fetch {
  const agent = new Agent({ ca: caPem, keepAlive: true, maxSockets: 64 });
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
      const headers = new Headers(init.headers);
      const body = typeof init.body === "string" ? init.body : undefined;
      if (body !== undefined) headers.set("content-length", String(Buffer.byteLength(body)));
      const req = request(
        url,
        { method: init.method ?? "GET", headers: Object.fromEntries(headers), agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", reject);
          res.on("aborted", () => reject(new TypeError("terminated")));
          res.on("end", () => {
            if (!res.complete) return reject(new TypeError("terminated"));
            const h = new Headers();
            for (const [k, v] of Object.entries(res.headers)) if (typeof v === "string") h.set(k, v);
            resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 500, headers: h }));
          });
        },
      );
      const signal = init.signal;
      if (signal) {
        if (signal.aborted) req.destroy(signal.reason as Error);
        signal.addEventListener("abort", () => req.destroy(signal.reason as Error), { once: true });
      }
      req.on("error", (err) => reject(new TypeError("fetch failed", { cause: err })));
      req.end(body);
    });
}

/**
 * A state store in memory with the contract's commit semantics: events take effect only when a
 * checkpoint commits them, so an interrupted pull leaves exactly what was checkpointed. Only the
 * snapshot methods are implemented.
 */
export class MemoryStore implements StateStore {
  readonly persons_ = new Map<string, Person>();
  readonly groups_ = new Map<string, Group>();
  readonly invalid: { record: string; field?: string; reason: string }[] = [];
  checkpoint: unknown;
  complete = false;

  async ingest(
    source: string,
    events: AsyncIterable<SourceEvent> | Iterable<SourceEvent>,
  ): Promise<SourceInfo> {
    let pending: SourceEvent[] = [];
    for await (const ev of events) {
      if (ev.type !== "checkpoint") {
        pending.push(ev);
        continue;
      }
      for (const e of pending) this.#apply(e);
      pending = [];
      this.checkpoint = ev.checkpoint;
      this.complete = ev.done === true;
    }
    return (await this.sourceInfo(source)) as SourceInfo;
  }

  #apply(e: SourceEvent): void {
    if (e.type === "reset") {
      this.persons_.clear();
      this.groups_.clear();
      this.invalid.length = 0;
      this.complete = false;
    } else if (e.type === "person") this.persons_.set(e.person.id, structuredClone(e.person));
    else if (e.type === "group") this.groups_.set(e.group.id, structuredClone(e.group));
    else if (e.type === "remove") (e.kind === "person" ? this.persons_ : this.groups_).delete(e.id);
    else if (e.type === "invalid")
      this.invalid.push({ record: e.record, reason: e.reason, ...(e.field ? { field: e.field } : {}) });
  }

  async sourceInfo(source: string): Promise<SourceInfo | null> {
    return {
      source,
      persons: this.persons_.size,
      groups: this.groups_.size,
      invalid: this.invalid.length,
      checkpoint: this.checkpoint,
      complete: this.complete,
      pulledAt: null,
    };
  }

  async *persons(): AsyncIterable<Person> {
    for (const p of this.persons_.values()) yield structuredClone(p);
  }

  async *personTexts(): AsyncIterable<string[]> {
    yield [...this.persons_.values()].map((p) => JSON.stringify(p));
  }

  async *groups(): AsyncIterable<Group> {
    for (const g of this.groups_.values()) yield structuredClone(g);
  }

  /** The snapshot as one comparable value: persons and groups sorted by id. */
  snapshot(): { persons: Person[]; groups: Group[] } {
    const byId = <T extends { id: string }>(m: Map<string, T>) =>
      [...m.values()].sort((a, b) => a.id.localeCompare(b.id));
    return { persons: byId(this.persons_), groups: byId(this.groups_) };
  }

  invalidRecords(): AsyncIterable<never> {
    throw new Error("not used by the Entra tests");
  }
  snapshotHash(): Promise<string> {
    throw new Error("not used by the Entra tests");
  }
  getValues(): Promise<Map<string, string>> {
    throw new Error("not used by the Entra tests");
  }
  allValues(): AsyncIterable<[string, string]> {
    throw new Error("not used by the Entra tests");
  }
  setValues(): Promise<void> {
    throw new Error("not used by the Entra tests");
  }
  countValues(): Promise<number> {
    throw new Error("not used by the Entra tests");
  }
  putIfAbsent(): Promise<string> {
    throw new Error("not used by the Entra tests");
  }
  createRun(): Promise<void> {
    throw new Error("not used by the Entra tests");
  }
  updateRun(): Promise<void> {
    throw new Error("not used by the Entra tests");
  }
  getRun(): Promise<null> {
    throw new Error("not used by the Entra tests");
  }
  listRuns(): Promise<[]> {
    throw new Error("not used by the Entra tests");
  }
  journal(): Promise<void> {
    throw new Error("not used by the Entra tests");
  }
  readJournal(): AsyncIterable<never> {
    throw new Error("not used by the Entra tests");
  }
  async close(): Promise<void> {}
}

/** A connector context for tests: zod parsing with a plain error, secrets from env/file. */
export function testContext(name: string, state?: StateStore, baseDir = process.cwd()): ConnectorContext {
  return {
    name,
    path: `sources.${name}`,
    baseDir,
    parse(schema, value) {
      const r = schema.safeParse(value);
      if (!r.success)
        throw new OverstapError(
          "CONFIG_INVALID",
          `sources.${name}: ${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
        );
      return r.data;
    },
    secret: (ref, key) => resolveSecret(ref, `sources.${name}.${key}`, baseDir),
    state,
  };
}

/** Reads a whole pull into a fresh or given store; returns the store. */
export async function pullInto(
  source: SourceConnector,
  store = new MemoryStore(),
  options: SourceReadOptions = {},
): Promise<MemoryStore> {
  await store.ingest(source.name, source.read(options));
  return store;
}

/** Passes events through until the `n`-th checkpoint, then fails as a killed process would. */
export async function* killAfterCheckpoints(
  events: AsyncIterable<SourceEvent>,
  n: number,
): AsyncGenerator<SourceEvent> {
  let seen = 0;
  for await (const e of events) {
    yield e;
    if (e.type === "checkpoint" && ++seen === n) throw new Error("killed");
  }
}
