import { createHash, type Hash } from "node:crypto";
import type { CorrelationKey } from "../config/schema.js";
import type { ProgressFn, TargetConnector } from "../model/connector.js";
import { attrValues } from "../model/entry.js";
import type { TargetEntry } from "../model/target-entry.js";
import { detached } from "../util/detached.js";
import type { MappedPerson } from "./mapped-person.js";
import { managedDigest } from "./perf/managed-digest.js";
import { type Peek, TargetRecord } from "./target-record.js";
import { indexValues, lookUp, type ValueIndex } from "./value-index.js";

/** Objects read between two turns of the event loop (and progress reports). */
const YIELD_EVERY = 1000;

/** What {@link TargetIndex.read} records of every person entry for the planner's unchanged check. */
export interface PersonDigests {
  /** The managed attributes, as `digestNames` gives them. */
  names: readonly string[];
  disabled: (attrs: Record<string, string[]>, key: string) => boolean;
}

/** What {@link TargetIndex.read} indexes besides keys and anchors. */
export interface TargetReadOptions {
  /** Identifier attributes (`config.identifiers` order) whose values in use are gathered. */
  identifiers?: readonly string[];
  progress?: ProgressFn | undefined;
  /** Correlation keys: person entries are indexed by each key's values too. */
  keys?: readonly CorrelationKey[];
  /** With these, each person record gets the digest of its managed attributes and its disabled flag. */
  digests?: PersonDigests;
}

/**
 * The target as the planner needs it: every object by normalized key, persons by anchor value
 * and by the value of each configured correlation key, the identifier values in use, object
 * counts, and a hash over everything read. `correlate` (./correlation.ts) records here which
 * persons it linked by a key.
 */
export class TargetIndex {
  readonly byKey = new Map<string, TargetRecord>();
  readonly byAnchor = new Map<string, TargetRecord>();
  readonly count = { person: 0, group: 0 };
  /**
   * Per identifier attribute (`config.identifiers` order): every value target persons hold,
   * lower-cased (identifiers compare case-insensitively), gathered while the target is read.
   */
  readonly taken: Set<string>[];
  /** True when every person record carries its digest and disabled flag. */
  readonly digested: boolean;
  readonly #digests: PersonDigests | undefined;
  readonly #identifiers: readonly string[];
  readonly #keys: readonly CorrelationKey[];
  /** Per configured correlation key: person entries by normalised value. */
  readonly #byValue: ValueIndex[];
  /** Anchor values that several person entries carry, with those entries. */
  readonly #sharedAnchors = new Map<string, TargetRecord[]>();
  /** Anchor of a person → the entry without an anchor that `correlate` linked it to. */
  readonly #links = new Map<string, TargetRecord>();
  /** Anchor of a person → the correlation key attribute that linked it (links by key are not here). */
  readonly #linkedBy = new Map<string, string>();
  /** A hash over every object read, unless the target has a {@link TargetConnector.fingerprint}. */
  #hash: Hash | null = createHash("sha256");

  private constructor(
    identifiers: readonly string[],
    keys: readonly CorrelationKey[],
    digests: PersonDigests | undefined,
  ) {
    this.#identifiers = identifiers;
    this.#digests = digests;
    this.digested = digests !== undefined;
    this.taken = identifiers.map(() => new Set());
    this.#keys = keys;
    this.#byValue = keys.map(() => new Map());
  }

  /**
   * Reads every object of the target once, indexing persons by the values of the correlation
   * `keys` too (one Map per key, only for the keys given); with `digests`, each person record
   * gets the digest of its managed attributes and its disabled flag.
   *
   * @example
   * const index = await TargetIndex.read(target, "eduPersonUniqueId", { identifiers: ["uid"], keys: [
   *   { attribute: "mail", confidence: 0.8, match: "ignore-case" },
   * ] });
   */
  static async read(
    target: TargetConnector,
    anchorAttr: string,
    options: TargetReadOptions = {},
  ): Promise<TargetIndex> {
    const { identifiers = [], progress, keys = [], digests } = options;
    const index = new TargetIndex(identifiers, keys, digests);
    const peek = target.peek?.bind(target);
    const fingerprint = target.fingerprint?.();
    if (fingerprint !== undefined) index.#hash = null;
    let read = 0;
    for await (const entry of target.read()) {
      if (++read % YIELD_EVERY === 0) {
        progress?.(read);
        // Let work running alongside (the mapping workers' replies) have the thread for a moment.
        await new Promise((resolve) => setImmediate(resolve));
      }
      index.#add(entry, anchorAttr, peek);
    }
    progress?.(index.byKey.size, index.byKey.size);
    if (fingerprint !== undefined) index.#hash = createHash("sha256").update(`fingerprint\0${fingerprint}`);
    return index;
  }

  /** A hash over every object read, in the order read, or over the target's fingerprint. */
  hash(): string {
    return (this.#hash as Hash).copy().digest("hex").slice(0, 32);
  }

  /**
   * The person entry linked to the person with `anchor`: the entry carrying that anchor, else
   * the one `correlate` linked it to by a key, else the entry without an anchor at `norm`.
   */
  linked(anchor: string, norm: string): TargetRecord | undefined {
    return this.byAnchor.get(anchor) ?? this.#links.get(anchor) ?? this.unanchored(norm);
  }

  /**
   * {@link linked} for a mapped person, remembered on it: ask only once correlation is done
   * (its links are part of the answer).
   */
  linkedPerson(m: MappedPerson): TargetRecord | undefined {
    if (m.link === undefined) m.link = this.linked(m.anchor, m.norm) ?? null;
    return m.link ?? undefined;
  }

  /** The person entry at `norm`, if it carries no anchor. */
  unanchored(norm: string): TargetRecord | undefined {
    const byKey = this.byKey.get(norm);
    return byKey && byKey.type === "person" && byKey.anchor === undefined ? byKey : undefined;
  }

  /** The person entries carrying `anchor`, when there are several (otherwise undefined). */
  sharedAnchor(anchor: string): readonly TargetRecord[] | undefined {
    return this.#sharedAnchors.get(anchor);
  }

  /** The person entries holding any of `values` of correlation key number `k`. */
  candidates(k: number, values: readonly string[]): TargetRecord | TargetRecord[] | undefined {
    const key = this.#keys[k];
    const index = this.#byValue[k];
    return key && index ? lookUp(index, values, key.match) : undefined;
  }

  /**
   * Records that the person with `anchor` is linked to `record`, an entry without an anchor:
   * by the correlation key attribute `by`, or (without it) because the entry is at the person's key.
   */
  link(anchor: string, record: TargetRecord, by?: string): void {
    this.#links.set(anchor, record);
    if (by !== undefined) this.#linkedBy.set(anchor, by);
  }

  /** The correlation key attribute that linked the person with `anchor`, if a key did. */
  linkedBy(anchor: string): string | undefined {
    return this.#linkedBy.get(anchor);
  }

  #add(entry: TargetEntry, anchorAttr: string, peek: Peek | undefined): void {
    const json = this.#hash || !peek ? JSON.stringify(entry.attrs) : "";
    this.#hash?.update(`${entry.type}\0${entry.key}\0${json}\n`);
    const source = peek ?? json;
    this.count[entry.type]++;
    let anchor: string | undefined;
    let ids: (string | undefined)[] = NO_IDS;
    if (entry.type === "person") {
      // The values kept are detached: a target may hand them out cut from its whole entry text.
      const anchors = attrValues(entry.attrs, anchorAttr).map(detached);
      anchor = anchors[0];
      ids = this.#identifiers.map((attr, i) => {
        const values = attrValues(entry.attrs, attr).map(detached);
        const taken = this.taken[i] as Set<string>;
        for (const v of values) taken.add(v.toLowerCase());
        return values[0];
      });
      const record = new TargetRecord(entry, source, anchor, ids);
      if (this.#digests) {
        [record.digest0, record.digest1] = managedDigest(entry.attrs, this.#digests.names);
        record.disabled = this.#digests.disabled(entry.attrs, entry.key);
      }
      this.byKey.set(record.norm, record);
      for (const a of anchors) {
        const held = this.byAnchor.get(a);
        if (held !== undefined && held !== record) this.#share(a, held, record);
        this.byAnchor.set(a, record);
      }
      this.#keys.forEach((key, k) => {
        indexValues(
          this.#byValue[k] as ValueIndex,
          attrValues(entry.attrs, key.attribute).map(detached),
          record,
          key.match,
        );
      });
      return;
    }
    const record = new TargetRecord(entry, source, anchor, ids);
    this.byKey.set(record.norm, record);
  }

  #share(anchor: string, held: TargetRecord, record: TargetRecord): void {
    const shared = this.#sharedAnchors.get(anchor);
    if (shared) shared.push(record);
    else this.#sharedAnchors.set(anchor, [held, record]);
  }
}

const NO_IDS: (string | undefined)[] = [];
