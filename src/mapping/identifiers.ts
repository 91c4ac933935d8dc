import { OverstapError } from "../errors.js";
import type { ReviewItem } from "../model/review.js";
import { HashSet, valueHash } from "../plan/perf/value-hash.js";
import type { ValueStore } from "../state/store.js";
import { identifierProblem } from "./profile-formats.js";

/** One person asking for an identifier. */
export interface IdentifierRequest {
  /** The person's source reference, `source:id`. */
  ref: string;
  /** The value the mapping produces from today's source data (`p.puk`, `p.puk@school.nl`). */
  candidate: string;
  /** The value the target entry correlated with this person already holds, if any. */
  current?: string;
}

/**
 * The outcome of {@link IdentifierRegistry.assign}, by request position: a million persons get
 * their values in one array, not in a map of a million references.
 */
export interface IdentifierAssignment {
  /** The requests as given to `assign`. */
  requests: readonly IdentifierRequest[];
  /** Per request: the identifier to use (the one issued earlier, or a new one); undefined when none could be issued. */
  values: (string | undefined)[];
  /** Positions of the requests whose value is new, not yet stored: {@link IdentifierRegistry.commit} reserves them. */
  issued: number[];
  /** `identifier-stable` warnings (source data would change an issued value) and `identifier-unsafe` errors. */
  review: ReviewItem[];
}

export interface IdentifierRegistryOptions {
  /** Key-value namespace; also the attribute named in review items. Default `uid`. */
  namespace?: string;
  /** Values already present in the target; they count as taken unless they are the person's own `current`. */
  taken?: Iterable<string>;
  /**
   * `taken` lower-cased already, for a registry that is not case-sensitive: used as it is, not
   * copied (the target index gathers it while reading half a million entries).
   */
  takenLowerCased?: ReadonlySet<string>;
  /** Compare values case-sensitively. Default false: LDAP `uid` and ePPN match case-insensitively. */
  caseSensitive?: boolean;
  /** The n-th alternative of a candidate (n ≥ 2). Default: `p.puk` → `p.puk2`, `p.puk@x.nl` → `p.puk2@x.nl`. */
  alternative?: (candidate: string, n: number) => string;
  /** Keys per store call. Default 10,000. */
  batchSize?: number;
}

/** The default alternative: the number goes before the `@` of a scoped value, else at the end. */
export function numberedAlternative(candidate: string, n: number): string {
  const at = candidate.indexOf("@");
  return at < 0 ? `${candidate}${n}` : `${candidate.slice(0, at)}${n}${candidate.slice(at)}`;
}

/** What the registry needs of the state store's key-value space. */
export type RegistryStore = Pick<ValueStore, "getValues" | "setValues" | "countValues" | "allValues">;

/** Alternatives probed per desired value in the first round; the window doubles each further round. */
const FIRST_WINDOW = 4;
const MAX_ROUNDS = 40;

/** What the search for alternatives of taken values works on (see `IdentifierRegistry`). */
interface AlternativeSearch {
  requests: readonly IdentifierRequest[];
  /** Positions of the requests still without a value. */
  left: number[];
  /** Position → the normalised value it asked for. */
  keyOf: Map<number, string>;
  /** Which of the probes some fresh request asked for (never free). */
  asked: (probes: ReadonlySet<string>) => Set<string>;
  /** Normalised value → who holds it, filled as probes are looked up. */
  holders: Map<string, string>;
  isFree: (key: string, i: number) => boolean;
  /** Receives the value given to each position. */
  values: (string | undefined)[];
  /** Receives each position given a value. */
  issued: number[];
}

/**
 * Issues identifiers (`uid`, ePPN) that never change once issued. Backed by the state store's
 * key-value space: `<ns>` maps `source:id` → value, `<ns>.candidate` the candidate it was issued
 * from where that differs from the value. Who holds a value is found by scanning `<ns>`, and
 * only when a new value is to be issued while earlier ones are stored: a first plan of a million
 * persons stores a million rows, not two million (a reverse index would cost as many again).
 * All store access is batched; a million persons cost a few hundred store calls.
 * Example: `const reg = new IdentifierRegistry(store, { taken: targetUids }); const a = await
 * reg.assign(requests); await reg.commit(a);`
 */
export class IdentifierRegistry {
  readonly #store: RegistryStore;
  readonly #ns: string;
  readonly #taken: ReadonlySet<string>;
  readonly #caseSensitive: boolean;
  readonly #alternative: (candidate: string, n: number) => string;
  readonly #batchSize: number;
  /** Values stored in `<ns>`, counted once. */
  #stored: number | undefined;

  constructor(store: RegistryStore, options: IdentifierRegistryOptions = {}) {
    const batchSize = options.batchSize ?? 10_000;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new TypeError(`IdentifierRegistry: batchSize must be a positive integer, got ${batchSize}`);
    }
    this.#store = store;
    this.#ns = options.namespace ?? "uid";
    this.#caseSensitive = options.caseSensitive ?? false;
    this.#alternative = options.alternative ?? numberedAlternative;
    this.#batchSize = batchSize;
    if (options.takenLowerCased) {
      if (this.#caseSensitive || options.taken !== undefined) {
        throw new TypeError(
          "IdentifierRegistry: takenLowerCased replaces taken, for a registry that is not case-sensitive",
        );
      }
      this.#taken = options.takenLowerCased;
    } else {
      const taken = new Set<string>();
      for (const v of options.taken ?? []) taken.add(this.#norm(v));
      this.#taken = taken;
    }
  }

  #norm(value: string): string {
    return this.#caseSensitive ? value : value.toLowerCase();
  }

  async #storedCount(): Promise<number> {
    this.#stored ??= await this.#store.countValues(this.#ns);
    return this.#stored;
  }

  /** The stored values of `keys` in namespace `ns` (`stored`: how many the namespace holds). */
  async #get(ns: string, keys: string[], stored: number): Promise<Map<string, string>> {
    if (keys.length === 0 || stored === 0) return new Map();
    if (stored <= keys.length) {
      // Asked for at least as many keys as there are: one scan beats that many look-ups.
      const wanted = new Set(keys);
      const out = new Map<string, string>();
      for await (const [k, v] of this.#store.allValues(ns)) if (wanted.has(k)) out.set(k, v);
      return out;
    }
    const out = new Map<string, string>();
    for (let i = 0; i < keys.length; i += this.#batchSize) {
      const part = await this.#store.getValues(ns, keys.slice(i, i + this.#batchSize));
      for (const [k, v] of part) out.set(k, v);
    }
    return out;
  }

  /**
   * Who holds each of the normalised `values` among those issued earlier: one scan of `<ns>`,
   * none when nothing is stored (a first plan's million values are not even gathered in a set).
   */
  async #holders(values: ReadonlySet<string> | readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if ((await this.#storedCount()) === 0) return out;
    const wanted = Array.isArray(values) ? new Set(values) : (values as ReadonlySet<string>);
    if (wanted.size === 0) return out;
    for await (const [ref, value] of this.#store.allValues(this.#ns)) {
      const key = this.#norm(value);
      if (wanted.has(key)) out.set(key, ref);
    }
    return out;
  }

  /** The value a request asks for: its target entry's own, else the candidate. */
  #desired(req: IdentifierRequest): string {
    return req.current ?? req.candidate;
  }

  #item(ref: string, rule: string, reason: string, severity: ReviewItem["severity"]): ReviewItem {
    return { record: ref, field: this.#ns, rule, reason, severity };
  }

  /**
   * For each request: the value issued earlier (a changed candidate is reported as an
   * `identifier-stable` warning, never applied), else a new value: the person's `current` target
   * value if any, else the candidate, else its alternatives (`p.puk2`, `p.puk3`, …). Contenders
   * for one value are ordered by `ref`, so the result does not depend on input order. Unsafe
   * candidates (control characters, `, + " \ < > ; =`, leading `#`) get no value and an error.
   * Nothing is stored: see {@link IdentifierRegistry.commit}. Of several requests with one
   * `ref`, the first counts and the others get its value; a caller whose refs are `distinct`
   * saves the check (a map of a million references).
   */
  async assign(
    requests: readonly IdentifierRequest[],
    options: { distinct?: boolean } = {},
  ): Promise<IdentifierAssignment> {
    const n = requests.length;
    // firstOf[i]: the position of the first request with the ref of request i.
    let firstOf: Int32Array | undefined;
    const asked: number[] = [];
    if (options.distinct) for (let i = 0; i < n; i++) asked.push(i);
    else {
      firstOf = new Int32Array(n);
      const byRef = new Map<string, number>();
      for (let i = 0; i < n; i++) {
        const ref = (requests[i] as IdentifierRequest).ref;
        const first = byRef.get(ref);
        if (first === undefined) {
          byRef.set(ref, i);
          asked.push(i);
        }
        firstOf[i] = first ?? i;
      }
    }
    const stored = await this.#storedCount();
    const existing = await this.#get(
      this.#ns,
      stored === 0 ? [] : asked.map((i) => (requests[i] as IdentifierRequest).ref),
      stored,
    );
    const existingCandidates = await this.#get(
      `${this.#ns}.candidate`,
      [...existing.keys()],
      existing.size === 0 ? 0 : await this.#store.countValues(`${this.#ns}.candidate`),
    );
    const values: (string | undefined)[] = new Array(n).fill(undefined);
    const review: ReviewItem[] = [];
    const fresh: number[] = [];
    const freshKeys: string[] = [];
    for (const i of asked) {
      const req = requests[i] as IdentifierRequest;
      const issued = existing.get(req.ref);
      if (issued !== undefined) {
        values[i] = issued;
        this.#checkStable(req, issued, existingCandidates.get(req.ref) ?? issued, review);
        continue;
      }
      const desired = this.#desired(req);
      if (!desired) continue;
      const problem = identifierProblem(desired);
      if (problem) {
        review.push(
          this.#item(
            req.ref,
            "identifier-unsafe",
            `${this.#ns} ${problem}; no ${this.#ns} was issued`,
            "error",
          ),
        );
        continue;
      }
      fresh.push(i);
      freshKeys.push(this.#norm(desired));
    }
    const issued = await this.#issue(requests, fresh, freshKeys, values);
    if (firstOf) for (let i = 0; i < n; i++) if (firstOf[i] !== i) values[i] = values[firstOf[i] as number];
    return { requests, values, issued, review };
  }

  /** Reports a person whose source data or target entry now disagrees with the value issued earlier. */
  #checkStable(req: IdentifierRequest, issued: string, from: string, review: ReviewItem[]): void {
    if (req.candidate && this.#norm(req.candidate) !== this.#norm(from)) {
      review.push(
        this.#item(
          req.ref,
          "identifier-stable",
          `source data now gives ${this.#ns} "${req.candidate}" (was "${from}"); the issued "${issued}" is kept, because an identifier never changes`,
          "warning",
        ),
      );
    }
    if (req.current !== undefined && this.#norm(req.current) !== this.#norm(issued)) {
      review.push(
        this.#item(
          req.ref,
          "identifier-stable",
          `the target holds ${this.#ns} "${req.current}" for this person, but "${issued}" was issued; the issued value is kept`,
          "warning",
        ),
      );
    }
  }

  /**
   * Gives each fresh request (`fresh`: positions, `keys`: the normalised values they ask for) its
   * desired value where free, else the first free alternative, and returns the positions given a
   * value. A value one person asks for is never given to another as an alternative.
   */
  async #issue(
    requests: readonly IdentifierRequest[],
    fresh: readonly number[],
    keys: readonly string[],
    values: (string | undefined)[],
  ): Promise<number[]> {
    const issued: number[] = [];
    const n = fresh.length;
    if (n === 0) return issued;
    const holders = await this.#holders(keys);
    // A value is free for request i unless someone else holds it or the target has it and it
    // is not the entry's own value.
    const isFree = (key: string, i: number): boolean => {
      const req = requests[i] as IdentifierRequest;
      const holder = holders.get(key);
      if (holder !== undefined && holder !== req.ref) return false;
      return !this.#taken.has(key) || (req.current !== undefined && this.#norm(req.current) === key);
    };
    // Values asked for more than once: hashes seen twice, then confirmed by exact value. A map of
    // every asked value (a million on a first plan, nearly all asked for once) cost a second.
    const hashes = new Int32Array(n);
    const seen = new HashSet(n);
    const twice = new Set<number>();
    for (let f = 0; f < n; f++) {
      const h = valueHash(keys[f] as string, false);
      hashes[f] = h;
      if (!seen.add(h)) twice.add(h);
    }
    const several = new Map<string, number[]>();
    if (twice.size > 0) {
      for (let f = 0; f < n; f++) {
        if (!twice.has(hashes[f] as number)) continue;
        const key = keys[f] as string;
        const list = several.get(key);
        if (list) list.push(fresh[f] as number);
        else several.set(key, [fresh[f] as number]);
      }
    }
    const byRef = (a: number, b: number) => {
      const ra = (requests[a] as IdentifierRequest).ref;
      const rb = (requests[b] as IdentifierRequest).ref;
      return ra < rb ? -1 : ra > rb ? 1 : 0;
    };
    const left: number[] = [];
    const leftKey = new Map<number, string>();
    const settle = (key: string, contenders: readonly number[]) => {
      let given = false;
      for (const i of contenders) {
        if (!given && isFree(key, i)) {
          values[i] = this.#desired(requests[i] as IdentifierRequest);
          issued.push(i);
          given = true;
        } else {
          left.push(i);
          leftKey.set(i, key);
        }
      }
    };
    for (let f = 0; f < n; f++) {
      const key = keys[f] as string;
      const i = fresh[f] as number;
      const list = twice.size > 0 && twice.has(hashes[f] as number) ? several.get(key) : undefined;
      if (list === undefined || list.length === 1) settle(key, [i]);
      else if (list[0] === i) settle(key, [...list].sort(byRef));
    }
    if (left.length === 0) return issued;
    // Which of `probes` (normalised values) some fresh request asked for: one pass over the hashes.
    const asked = (probes: ReadonlySet<string>): Set<string> => {
      const hit = new Set<number>();
      for (const p of probes) {
        const h = valueHash(p, false);
        if (seen.has(h)) hit.add(h);
      }
      const out = new Set<string>();
      if (hit.size > 0) {
        for (let f = 0; f < n; f++) {
          const key = keys[f] as string;
          if (hit.has(hashes[f] as number) && probes.has(key)) out.add(key);
        }
      }
      return out;
    };
    await this.#alternatives({ requests, left, keyOf: leftKey, asked, holders, isFree, values, issued });
    return issued;
  }

  /**
   * Gives each request in `left` the first free alternative of its desired value, in the
   * order of that value and then of `ref`, probing windows of alternatives that double each
   * round. Values some fresh request asked for (`asked`) are never free.
   */
  async #alternatives(search: AlternativeSearch): Promise<void> {
    const { requests, left, keyOf, asked, holders, isFree, values, issued } = search;
    const refOf = (i: number) => (requests[i] as IdentifierRequest).ref;
    left.sort((a, b) => {
      const ka = keyOf.get(a) as string;
      const kb = keyOf.get(b) as string;
      if (ka !== kb) return ka < kb ? -1 : 1;
      return refOf(a) < refOf(b) ? -1 : refOf(a) > refOf(b) ? 1 : 0;
    });
    const given = new Set<string>();
    const cursor = new Map<string, number>();
    let pending = left;
    for (let round = 0; pending.length > 0; round++) {
      if (round === MAX_ROUNDS) {
        throw new OverstapError(
          "MAPPING_INVALID",
          `no free ${this.#ns} found for ${refOf(pending[0] as number)} after ${round} rounds`,
          { hint: "The alternative() function must give a different value for every n." },
        );
      }
      const windows = new Map<string, { from: number; to: number }>();
      const desiredByKey = new Map<string, string>();
      for (const i of pending) {
        const key = keyOf.get(i) as string;
        const w = windows.get(key);
        if (w) w.to++;
        else {
          const from = cursor.get(key) ?? 2;
          windows.set(key, { from, to: from + Math.min(FIRST_WINDOW * 2 ** round, 65_536) + 1 });
          desiredByKey.set(key, this.#desired(requests[i] as IdentifierRequest));
        }
      }
      const probes = new Set<string>();
      for (const [key, w] of windows) {
        const desired = desiredByKey.get(key) as string;
        for (let n = w.from; n < w.to; n++) probes.add(this.#norm(this.#alternative(desired, n)));
      }
      for (const [k, v] of await this.#holders(probes)) holders.set(k, v);
      const claimed = asked(probes);
      const still: number[] = [];
      for (const i of pending) {
        const key = keyOf.get(i) as string;
        const w = windows.get(key) as { from: number; to: number };
        let n = cursor.get(key) ?? w.from;
        let done = false;
        for (; n < w.to && !done; n++) {
          const value = this.#alternative(this.#desired(requests[i] as IdentifierRequest), n);
          const alt = this.#norm(value);
          if (!claimed.has(alt) && !given.has(alt) && isFree(alt, i)) {
            values[i] = value;
            issued.push(i);
            given.add(alt);
            done = true;
          }
        }
        cursor.set(key, n);
        if (!done) still.push(i);
      }
      pending = still;
    }
  }

  /** Stores newly issued values and the candidates they came from, reserving them for good. */
  async commit(assignment: Pick<IdentifierAssignment, "requests" | "values" | "issued">): Promise<void> {
    const { requests, values, issued } = assignment;
    if (issued.length === 0) return;
    // A candidate is kept only where it differs from the value: `assign` reads a missing one
    // as the value itself, and most values are their candidate.
    const differing: [string, string][] = [];
    for (const i of issued) {
      const req = requests[i] as IdentifierRequest;
      if (req.candidate !== values[i]) differing.push([req.ref, req.candidate]);
    }
    if (differing.length > 0) await this.#store.setValues(`${this.#ns}.candidate`, differing);
    // Pairs are made as the store takes them, not as an array of a million pairs held at once.
    await this.#store.setValues(this.#ns, issuedPairs(requests, values, issued));
    this.#stored = undefined;
  }
}

function* issuedPairs(
  requests: readonly IdentifierRequest[],
  values: readonly (string | undefined)[],
  issued: readonly number[],
): Generator<[string, string]> {
  for (const i of issued) yield [(requests[i] as IdentifierRequest).ref, values[i] as string];
}
