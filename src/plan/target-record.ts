import { OverstapError } from "../errors.js";
import type { ObjectType, TargetEntry } from "../model/target-entry.js";
import { normKey } from "./keys.js";

/** Reads one object again, synchronously (see `TargetConnector.peek`). */
export type Peek = (key: string, type: ObjectType) => TargetEntry | null;

/**
 * One target object, compact: its attributes are kept as JSON text and parsed again only when
 * an operation or a comparison needs them, so a target of half a million persons stays small.
 * For a target that holds its objects in memory anyway (`peek`), not even the text is kept.
 */
export class TargetRecord {
  readonly key: string;
  readonly norm: string;
  readonly type: ObjectType;
  /** The first value of the anchor attribute, if any. */
  readonly anchor: string | undefined;
  /** The first value of each identifier attribute (in the order of `config.identifiers`). */
  readonly ids: readonly (string | undefined)[];
  /** Set by the planner when a source still has the person whose anchor this entry carries. */
  present = false;
  /** For persons read with {@link import("./target-index.js").PersonDigests}: the digest of the managed attributes, both lanes. */
  digest0 = 0;
  digest1 = 0;
  /** For persons read with {@link import("./target-index.js").PersonDigests}: whether the entry is disabled. */
  disabled = false;
  readonly #source: string | Peek;

  /** `source` is the attributes' JSON text, or the target's `peek` to read them again. */
  constructor(
    entry: TargetEntry,
    source: string | Peek,
    anchor: string | undefined,
    ids: readonly (string | undefined)[],
  ) {
    this.key = entry.key;
    const norm = normKey(entry.key);
    this.norm = norm === entry.key ? entry.key : norm;
    this.type = entry.type;
    this.anchor = anchor;
    this.ids = ids;
    this.#source = source;
  }

  /** The entry as read (a fresh copy on every call). */
  entry(): TargetEntry {
    if (typeof this.#source === "string")
      return { key: this.key, type: this.type, attrs: JSON.parse(this.#source) as Record<string, string[]> };
    const entry = this.#source(this.key, this.type);
    if (!entry) {
      throw new OverstapError("INTERNAL", `the target lost ${this.key} while planning`, {
        hint: "Nothing may write to the target while a plan is made; plan again.",
      });
    }
    return entry;
  }
}
