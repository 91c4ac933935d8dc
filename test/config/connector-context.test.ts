import { describe, expect, it } from "vitest";
import { type ConnectorContext, connectorRuntime } from "../../src/config/connector-context.js";
import { openMemoryStore } from "../../src/state/memory.js";
import { previousSnapshot } from "../../src/state/previous.js";

const base: ConnectorContext = {
  name: "las",
  path: "sources.las",
  baseDir: ".",
  parse: (schema, value) => schema.parse(value),
  secret: async () => "",
};

describe("connector context", () => {
  it("fills in the global fetch and the system clock, and passes injected ones through", () => {
    const defaults = connectorRuntime(base);
    expect(defaults.fetch).toBe(globalThis.fetch);
    expect(Math.abs(defaults.now().getTime() - Date.now())).toBeLessThan(1000);
    expect(defaults.signal).toBeUndefined();
    const fetch = (async () => new Response("")) as typeof globalThis.fetch;
    const now = () => new Date("2026-01-01T00:00:00Z");
    const signal = new AbortController().signal;
    expect(connectorRuntime({ ...base, fetch, now, signal })).toEqual({ fetch, now, signal });
  });

  it("shows a source its own previous snapshot and nothing else", async () => {
    const store = openMemoryStore();
    const person = (source: string, id: string) => ({
      source,
      id,
      roles: [],
      enabled: true,
      groups: [],
      ext: {},
    });
    await store.ingest("las", [
      { type: "reset" },
      { type: "person", person: person("las", "1") },
      { type: "checkpoint", checkpoint: { at: 1 }, done: true },
    ]);
    await store.ingest("hr", [
      { type: "reset" },
      { type: "person", person: person("hr", "9") },
      { type: "checkpoint", checkpoint: null, done: true },
    ]);
    const previous = previousSnapshot(store, "las");
    expect(Object.keys(previous).sort()).toEqual(["groups", "info", "persons"]);
    expect(await previous.info()).toMatchObject({ source: "las", persons: 1, checkpoint: { at: 1 } });
    const ids: string[] = [];
    for await (const p of previous.persons()) ids.push(p.id);
    expect(ids).toEqual(["1"]);
    expect(await previousSnapshot(store, "none").info()).toBeNull();
  });
});
