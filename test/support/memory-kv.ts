import type { RegistryStore } from "../../src/mapping/identifiers.js";

/** The key-value space of a state store, in memory, counting calls (for tests and benchmarks). */
export class MemoryKv implements RegistryStore {
  readonly data = new Map<string, Map<string, string>>();
  calls = 0;

  async getValues(ns: string, keys: string[]): Promise<Map<string, string>> {
    this.calls++;
    const space = this.data.get(ns);
    const out = new Map<string, string>();
    for (const k of keys) {
      const v = space?.get(k);
      if (v !== undefined) out.set(k, v);
    }
    return out;
  }

  async *allValues(ns: string): AsyncIterable<[string, string]> {
    this.calls++;
    yield* this.data.get(ns) ?? [];
  }

  async setValues(ns: string, entries: Iterable<[string, string]>): Promise<void> {
    this.calls++;
    let space = this.data.get(ns);
    if (!space) {
      space = new Map();
      this.data.set(ns, space);
    }
    for (const [k, v] of entries) space.set(k, v);
  }

  async countValues(ns: string): Promise<number> {
    this.calls++;
    return this.data.get(ns)?.size ?? 0;
  }
}
