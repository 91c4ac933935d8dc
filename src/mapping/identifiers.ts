import { OverstapError } from "../errors.js";
import type { ReviewItem } from "../model/review.js";
import type { StateStore } from "../state/store.js";
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

/** A value issued for the first time by {@link IdentifierRegistry.assign}, to be committed. */
export interface IssuedIdentifier {
  ref: string;
  value: string;
  candidate: string;
}

/** The outcome of {@link IdentifierRegistry.assign}. */
export interface IdentifierAssignment {
  /** ref → the identifier to use: the one issued earlier, or a new one. */
  values: Map<string, string>;
  /** New values, not yet stored: {@link IdentifierRegistry.commit} reserves them. */
  issued: IssuedIdentifier[];
  /** `identifier-stable` warnings (source data would change an issued value) and `identifier-unsafe` errors. */
  review: ReviewItem[];
}

export interface IdentifierRegistryOptions {
  /** Key-value namespace; also the attribute named in review items. Default `uid`. */
  namespace?: string;
  /** Values already present in the target; they count as taken unless they are the person's own `current`. */
  taken?: Iterable<string>;
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

/** Alternatives probed per group in the first round; the window doubles each further round. */
/** A person without an issued value: the value it asks for and its normalised form. */
interface Fresh {
  req: IdentifierRequest;
  desired: string;
  key: string;
}

const FIRST_WINDOW = 4;

/** What the registry needs of the state store; with `countValues` and `allValues`, large asks become one scan. */
export type RegistryStore = Pick<StateStore, "getValues" | "setValues"> &
  Partial<Pick<StateStore, "countValues" | "allValues">>;
const MAX_ROUNDS = 40;

/**
 * Issues identifiers (`uid`, ePPN) that never change once issued. Backed by the state store's
 * key-value space: `<ns>` maps `source:id` → value, `<ns>.candidate` the candidate it was issued
 * from where that differs from the value, `<ns>.owner` the normalised value → `source:id` (the
 * reverse index for collisions).
 * All store access is batched; a million persons cost a few hundred store calls.
 * Example: `const reg = new IdentifierRegistry(store, { taken: targetUids }); const a = await
 * reg.assign(requests); await reg.commit(a);`
 */
export class IdentifierRegistry {
  readonly #store: RegistryStore;
  readonly #ns: string;
  readonly #taken: Set<string>;
  readonly #caseSensitive: boolean;
  readonly #alternative: (candidate: string, n: number) => string;
  readonly #batchSize: number;

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
    this.#taken = new Set();
    for (const v of options.taken ?? []) this.#taken.add(this.#norm(v));
  }

  #norm(value: string): string {
    return this.#caseSensitive ? value : value.toLowerCase();
  }

  /** True when the store can tell that namespace `ns` holds nothing (a first plan's case). */
  async #empty(ns: string): Promise<boolean> {
    return this.#store.countValues !== undefined && (await this.#store.countValues(ns)) === 0;
  }

  async #get(ns: string, keys: string[]): Promise<Map<string, string>> {
    if (keys.length === 0) return new Map();
    const stored = this.#store.countValues ? await this.#store.countValues(ns) : undefined;
    if (stored === 0) return new Map();
    if (stored !== undefined && stored <= keys.length && this.#store.allValues) {
      // Asked for at least as many keys as there are: one scan beats that many look-ups.
      const wanted = new Set(keys);
      const out = new Map<string, string>();
      for await (const [k, v] of this.#store.allValues(ns)) if (wanted.has(k)) out.set(k, v);
      return out;
    }
    if (keys.length <= this.#batchSize) return this.#store.getValues(ns, keys);
    const out = new Map<string, string>();
    for (let i = 0; i < keys.length; i += this.#batchSize) {
      const part = await this.#store.getValues(ns, keys.slice(i, i + this.#batchSize));
      for (const [k, v] of part) out.set(k, v);
    }
    return out;
  }

  #item(ref: string, rule: string, reason: string, severity: ReviewItem["severity"]): ReviewItem {
    return { record: ref, field: this.#ns, rule, reason, severity };
  }

  /**
   * For each person: the value issued earlier (a changed candidate is reported as an
   * `identifier-stable` warning, never applied), else a new value: the person's `current` target
   * value if any, else the candidate, else its alternatives (`p.puk2`, `p.puk3`, …). Contenders
   * for one value are ordered by `ref`, so the result does not depend on input order. Unsafe
   * candidates (control characters, `, + " \ < > ; =`, leading `#`) get no value and an error.
   * Nothing is stored: see {@link IdentifierRegistry.commit}. Of several requests with one
   * `ref`, the first counts; a caller whose refs are `distinct` saves the check (a map of a
   * million references).
   */
  async assign(
    requests: readonly IdentifierRequest[],
    options: { distinct?: boolean } = {},
  ): Promise<IdentifierAssignment> {
    let unique = requests;
    if (!options.distinct) {
      const byRef = new Map<string, IdentifierRequest>();
      for (const r of requests) if (!byRef.has(r.ref)) byRef.set(r.ref, r);
      unique = [...byRef.values()];
    }
    const existing = (await this.#empty(this.#ns))
      ? new Map<string, string>()
      : await this.#get(
          this.#ns,
          unique.map((r) => r.ref),
        );
    const existingCandidates = await this.#get(`${this.#ns}.candidate`, [...existing.keys()]);
    const values = new Map<string, string>();
    const review: ReviewItem[] = [];
    const fresh: Fresh[] = [];
    for (const req of unique) {
      const issued = existing.get(req.ref);
      if (issued !== undefined) {
        values.set(req.ref, issued);
        const from = existingCandidates.get(req.ref) ?? issued;
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
        continue;
      }
      const desired = req.current ?? req.candidate;
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
      fresh.push({ req, desired, key: this.#norm(desired) });
    }
    const issued = await this.#issue(fresh, values);
    return { values, issued, review };
  }

  async #issue(fresh: Fresh[], values: Map<string, string>): Promise<IssuedIdentifier[]> {
    const ownerNs = `${this.#ns}.owner`;
    const owners = (await this.#empty(ownerNs))
      ? new Map<string, string>()
      : await this.#get(ownerNs, [...new Set(fresh.map((f) => f.key))]);
    // Per desired value: the person(s) asking for it until it is settled, then the reference of
    // the person it was given to (one map for both: a million first-plan persons ask at once).
    const claims = new Map<string, Fresh | Fresh[] | string>();
    const assigned = new Map<string, string>();
    const issued: IssuedIdentifier[] = [];
    const isFree = (key: string, req: IdentifierRequest): boolean => {
      const claim = claims.get(key);
      const owner = owners.get(key) ?? (typeof claim === "string" ? claim : assigned.get(key));
      if (owner !== undefined && owner !== req.ref) return false;
      return !this.#taken.has(key) || (req.current !== undefined && this.#norm(req.current) === key);
    };
    const give = (req: IdentifierRequest, value: string, key: string) => {
      if (claims.has(key)) claims.set(key, req.ref);
      else assigned.set(key, req.ref);
      values.set(req.ref, value);
      issued.push({ ref: req.ref, value, candidate: req.candidate });
    };
    const byRefOrder = (a: Fresh, b: Fresh) => (a.req.ref < b.req.ref ? -1 : a.req.ref > b.req.ref ? 1 : 0);
    for (const f of fresh) {
      const claim = claims.get(f.key);
      if (claim === undefined) claims.set(f.key, f);
      else if (Array.isArray(claim)) claim.push(f);
      else claims.set(f.key, [claim as Fresh, f]);
    }
    const left: Fresh[] = [];
    for (const [key, claim] of claims) {
      if (typeof claim === "string") continue;
      if (!Array.isArray(claim)) {
        if (isFree(key, claim.req)) give(claim.req, claim.desired, key);
        else left.push(claim);
        continue;
      }
      claim.sort(byRefOrder);
      let given = false;
      for (const f of claim) {
        if (!given && isFree(key, f.req)) {
          give(f.req, f.desired, key);
          given = true;
        } else left.push(f);
      }
    }
    left.sort((a, b) =>
      a.key !== b.key ? (a.key < b.key ? -1 : 1) : a.req.ref < b.req.ref ? -1 : a.req.ref > b.req.ref ? 1 : 0,
    );
    const cursor = new Map<string, number>();
    let pending = left;
    for (let round = 0; pending.length > 0; round++) {
      if (round === MAX_ROUNDS) {
        throw new OverstapError(
          "MAPPING_INVALID",
          `no free ${this.#ns} found for ${pending[0]?.req.ref} after ${round} rounds`,
          {
            hint: "The alternative() function must give a different value for every n.",
          },
        );
      }
      const windows = new Map<string, { from: number; to: number }>();
      for (const f of pending) {
        const w = windows.get(f.key);
        if (w) w.to++;
        else {
          const from = cursor.get(f.key) ?? 2;
          windows.set(f.key, { from, to: from + Math.min(FIRST_WINDOW * 2 ** round, 65_536) + 1 });
        }
      }
      const probes = new Set<string>();
      const desiredOf = new Map(pending.map((f) => [f.key, f.desired]));
      for (const [key, w] of windows) {
        const desired = desiredOf.get(key) as string;
        for (let n = w.from; n < w.to; n++) probes.add(this.#norm(this.#alternative(desired, n)));
      }
      for (const [k, v] of await this.#get(`${this.#ns}.owner`, [...probes])) owners.set(k, v);
      const still: Fresh[] = [];
      for (const f of pending) {
        const w = windows.get(f.key) as { from: number; to: number };
        let n = cursor.get(f.key) ?? w.from;
        let done = false;
        for (; n < w.to && !done; n++) {
          const value = this.#alternative(f.desired, n);
          const key = this.#norm(value);
          if (isFree(key, f.req)) {
            give(f.req, value, key);
            done = true;
          }
        }
        cursor.set(f.key, n);
        if (!done) still.push(f);
      }
      pending = still;
    }
    return issued;
  }

  /** Stores newly issued values, their candidates and the reverse index, reserving them for good. */
  async commit(assignment: Pick<IdentifierAssignment, "issued">): Promise<void> {
    const { issued } = assignment;
    if (issued.length === 0) return;
    const norm = (v: string) => this.#norm(v);
    // Pairs are made as the store takes them, not as arrays of a million pairs held at once.
    await this.#store.setValues(
      `${this.#ns}.owner`,
      pairs(issued, (i) => [norm(i.value), i.ref]),
    );
    // A candidate is kept only where it differs from the value: `assign` reads a missing one
    // as the value itself, and most values are their candidate.
    const differing = issued.filter((i) => i.candidate !== i.value);
    await this.#store.setValues(
      `${this.#ns}.candidate`,
      differing.map((i) => [i.ref, i.candidate]),
    );
    await this.#store.setValues(
      this.#ns,
      pairs(issued, (i) => [i.ref, i.value]),
    );
  }
}

function* pairs<T>(items: readonly T[], pair: (item: T) => [string, string]): Generator<[string, string]> {
  for (const item of items) yield pair(item);
}
