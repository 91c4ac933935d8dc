import { Agent, request } from "node:https";
import type { ConnectorContext } from "../../../src/config/connector-context.js";
import { resolveSecret } from "../../../src/config/secret.js";
import { OverstapError } from "../../../src/errors.js";
import type { SourceConnector, SourceEvent, SourceReadOptions } from "../../../src/model/connector.js";
import type { Group } from "../../../src/model/group.js";
import type { Person } from "../../../src/model/person.js";
import { openMemoryStore } from "../../../src/state/memory.js";
import { previousSnapshot } from "../../../src/state/previous.js";
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

/** A source's snapshot as one comparable value: its persons and groups in id order. */
export interface Snapshot {
  persons: Person[];
  groups: Group[];
}

/** The snapshot the store holds of `source`. */
export async function snapshotOf(store: StateStore, source = "entra"): Promise<Snapshot> {
  const persons: Person[] = [];
  const groups: Group[] = [];
  for await (const p of store.persons(source)) persons.push(p);
  for await (const g of store.groups(source)) groups.push(g);
  return { persons, groups };
}

/** What the store knows of `source`; fails when it knows nothing. */
export async function infoOf(store: StateStore, source = "entra"): Promise<SourceInfo> {
  const info = await store.sourceInfo(source);
  if (!info) throw new Error(`the store holds nothing of ${source}`);
  return info;
}

/** What a test context gives the connector: the store its previous snapshot is read from, a fetch, a directory. */
export interface TestContextOptions {
  store?: StateStore;
  fetch?: typeof fetch;
  baseDir?: string;
}

/** A connector context for tests: zod parsing with a plain error, secrets from env/file. */
export function testContext(name: string, options: TestContextOptions = {}): ConnectorContext {
  const baseDir = options.baseDir ?? process.cwd();
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
    ...(options.store ? { previous: previousSnapshot(options.store, name) } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
}

/** Reads a whole pull into a fresh or given store; returns the store. */
export async function pullInto(
  source: SourceConnector,
  store: StateStore = openMemoryStore(),
  options: SourceReadOptions = {},
): Promise<StateStore> {
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
