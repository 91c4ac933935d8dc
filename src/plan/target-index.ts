import { createHash } from "node:crypto";
import type { ProgressFn, TargetConnector } from "../model/connector.js";
import { attrValues } from "../model/entry.js";
import type { ObjectType, TargetEntry } from "../model/target-entry.js";
import { normKey } from "./keys.js";

/**
 * One target object, compact: its attributes are kept as JSON text and parsed again only when
 * an operation or a comparison needs them, so a target of half a million persons stays small.
 */
export class TargetRecord {
  readonly key: string;
  readonly norm: string;
  readonly type: ObjectType;
  /** The first value of the anchor attribute, if any. */
  readonly anchor: string | undefined;
  /** The first value of each identifier attribute (in the order of `config.identifiers`). */
  readonly ids: readonly (string | undefined)[];
  readonly #json: string;

  constructor(
    entry: TargetEntry,
    json: string,
    anchor: string | undefined,
    ids: readonly (string | undefined)[],
  ) {
    this.key = entry.key;
    const norm = normKey(entry.key);
    this.norm = norm === entry.key ? entry.key : norm;
    this.type = entry.type;
    this.anchor = anchor;
    this.ids = ids;
    this.#json = json;
  }

  /** The entry as read (a fresh copy on every call). */
  entry(): TargetEntry {
    return { key: this.key, type: this.type, attrs: JSON.parse(this.#json) as Record<string, string[]> };
  }
}

/**
 * The target as the planner needs it: every object by normalized key, persons by anchor value,
 * the identifier values in use, object counts, and a hash over everything read.
 */
export class TargetIndex {
  readonly byKey = new Map<string, TargetRecord>();
  readonly byAnchor = new Map<string, TargetRecord>();
  readonly count = { person: 0, group: 0 };
  /** Per identifier attribute (`config.identifiers` order): every value target persons hold. */
  readonly taken: string[][];
  readonly #identifiers: readonly string[];
  readonly #hash = createHash("sha256");

  private constructor(identifiers: readonly string[]) {
    this.#identifiers = identifiers;
    this.taken = identifiers.map(() => []);
  }

  /**
   * Reads every object of the target once.
   *
   * @example
   * const index = await TargetIndex.read(target, "eduPersonUniqueId", ["uid"]);
   */
  static async read(
    target: TargetConnector,
    anchorAttr: string,
    identifiers: readonly string[],
    progress?: ProgressFn,
  ): Promise<TargetIndex> {
    const index = new TargetIndex(identifiers);
    let read = 0;
    for await (const entry of target.read()) {
      if (progress && ++read % 1000 === 0) progress(read);
      index.#add(entry, anchorAttr);
    }
    progress?.(index.byKey.size, index.byKey.size);
    return index;
  }

  /** A hash over every object read, in the order read. */
  hash(): string {
    return this.#hash.copy().digest("hex").slice(0, 32);
  }

  /** The person linked to `anchor`, else the anchorless person at `norm` (correlation by key). */
  linked(anchor: string, norm: string): TargetRecord | undefined {
    const byAnchor = this.byAnchor.get(anchor);
    if (byAnchor) return byAnchor;
    const byKey = this.byKey.get(norm);
    return byKey && byKey.type === "person" && byKey.anchor === undefined ? byKey : undefined;
  }

  #add(entry: TargetEntry, anchorAttr: string): void {
    const json = JSON.stringify(entry.attrs);
    this.#hash.update(`${entry.type}\0${entry.key}\0${json}\n`);
    this.count[entry.type]++;
    let anchor: string | undefined;
    let ids: (string | undefined)[] = NO_IDS;
    if (entry.type === "person") {
      const anchors = attrValues(entry.attrs, anchorAttr);
      anchor = anchors[0];
      ids = this.#identifiers.map((attr, i) => {
        const values = attrValues(entry.attrs, attr);
        const taken = this.taken[i] as string[];
        for (const v of values) taken.push(v);
        return values[0];
      });
      const record = new TargetRecord(entry, json, anchor, ids);
      this.byKey.set(record.norm, record);
      for (const a of anchors) this.byAnchor.set(a, record);
      return;
    }
    const record = new TargetRecord(entry, json, anchor, ids);
    this.byKey.set(record.norm, record);
  }
}

const NO_IDS: (string | undefined)[] = [];
