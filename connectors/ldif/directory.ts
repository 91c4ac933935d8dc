import { OverstapError } from "../../src/errors.js";
import { applyChanges, attrValues, expectedAfter, sameEntry } from "../../src/model/entry.js";
import type { Operation } from "../../src/model/operation.js";
import type { ObjectType, TargetEntry } from "../../src/model/target-entry.js";
import { detached } from "../../src/util/detached.js";
import { canonicalAttrs } from "./canonical.js";
import type { ContentFile } from "./content-file.js";
import { diffAttrs, modificationsToChanges } from "./diff.js";
import { parseEntryText } from "./entry-text.js";
import { formatLdifRecord } from "./format.js";
import { movedDn, splitFirstRdn, withNewRdn } from "./rdn.js";
import type { LdifChangeRecord, TextForm } from "./record.js";
import { parentTreeKey, treeKey } from "./tree-key.js";

/** Decides an entry's type from its attributes (e.g. its objectClass); null for containers. */
export type Classify = (attrs: Record<string, string[]>) => ObjectType | null;

/** An entry as the directory holds it: `type` is null for entries that are neither person nor group. */
export interface StoredEntry {
  key: string;
  type: ObjectType | null;
  attrs: Record<string, string[]>;
}

/** What applying an operation did: the after-image and the change records that express it. */
export interface Applied {
  after: TargetEntry | null;
  changes: LdifChangeRecord[];
}

/**
 * How the directory holds an entry: its attributes, or its LDIF text, parsed when needed. An
 * entry loaded from a content file and not changed since keeps only where its text is in that
 * file. Slots are replaced, never changed, so a snapshot of slots is a snapshot of the directory.
 */
interface Slot {
  readonly key: string;
  readonly type: ObjectType | null;
  readonly attrs: Record<string, string[]> | null;
  readonly text: string;
  readonly form: TextForm;
  /** Where the text starts in the content file, in bytes (-1: the text is in {@link text}), and its length. */
  readonly at: number;
  readonly bytes: number;
}

function copyAttrs(attrs: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(attrs)) if (v.length) out[k] = [...new Set(v)];
  return out;
}

function twice(key: string): OverstapError {
  return new OverstapError("TARGET_INVALID", `entry "${key}" appears twice`, { hint: "Remove one of them." });
}

function describe(op: Operation): string {
  return `${op.kind} ${op.type} "${op.key}"`;
}

function sameAttrs(a: Record<string, string[]>, b: Record<string, string[]>): boolean {
  const names = Object.keys(a);
  const other = Object.keys(b);
  if (names.length !== other.length) return false;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (name !== other[i]) return false;
    const x = a[name] as string[];
    const y = b[name] as string[];
    if (x.length !== y.length || x.some((v, k) => v !== y[k])) return false;
  }
  return true;
}

/**
 * The slot of a changed entry: its LDIF text (about a third of the memory of the attribute
 * lists, and nothing for the garbage collector to trace) when parsing that text gives back
 * exactly `entry.attrs`, in order; else the attributes themselves.
 */
function compacted(entry: StoredEntry): Slot {
  const { key, type, attrs } = entry;
  const kept: Slot = { key, type, attrs, text: "", form: "raw", at: -1, bytes: 0 };
  for (const values of Object.values(attrs))
    if (values.length > 1 && new Set(values).size !== values.length) return kept;
  const text = formatLdifRecord({ kind: "content", dn: key, attrs });
  if (!sameAttrs(parseEntryText(text, "plain"), attrs)) return kept;
  const canonical = formatLdifRecord({ kind: "content", dn: key, attrs: canonicalAttrs(attrs) });
  return canonical === text
    ? { key, type, attrs: null, text: canonical, form: "canonical", at: -1, bytes: 0 }
    : { key, type, attrs: null, text, form: "plain", at: -1, bytes: 0 };
}

/**
 * An in-memory directory tree keyed by normalized DN (as a tree key), implementing the Operation semantics of
 * `expectedAfter` idempotently and expressing every effect as LDIF change records. The memory
 * target and the LDIF target are both built on it.
 */
export class Directory {
  readonly #entries = new Map<string, Slot>();
  /** Entries per parent tree key; counted when first needed (loading does not need it). */
  #children: Map<string, number> | null = null;
  readonly #classify: Classify | undefined;
  readonly #content: ContentFile | undefined;

  /**
   * With `classify`, entries are typed by their attributes and a write that breaks the type is
   * refused. `content` is the file that {@link loadAt} entries are read back from.
   */
  constructor(classify?: Classify, content?: ContentFile) {
    this.#classify = classify;
    this.#content = content;
  }

  /** Forgets every entry (frees the memory of a closed target). */
  clear(): void {
    this.#entries.clear();
    this.#children = null;
  }

  /** Number of entries, containers included. */
  get size(): number {
    return this.#entries.size;
  }

  /** All entries, containers included (copies), in the order they were added. */
  *entries(): Generator<StoredEntry> {
    for (const slot of this.#entries.values()) yield this.#stored(slot);
  }

  /**
   * All entries, containers included (copies), in canonical order: every parent before its
   * children, siblings by normalized DN. The order and the content are those of the moment of
   * the call; each entry is copied only when the iteration reaches it.
   */
  ordered(): IterableIterator<StoredEntry> {
    const slots = this.#sorted();
    const stored = (slot: Slot) => this.#stored(slot);
    return (function* () {
      for (const slot of slots) yield stored(slot);
    })();
  }

  /**
   * The directory as canonical LDIF (see `formatCanonicalLdif`), in pieces to write one after
   * the other: entries loaded from canonical text and not changed since are not formatted again.
   */
  canonicalLdif(): IterableIterator<string> {
    const slots = this.#sorted();
    const canonicalText = (slot: Slot) => this.#canonicalText(slot);
    return (function* () {
      yield "version: 1\n\n";
      for (const slot of slots) yield canonicalText(slot);
    })();
  }

  /** The entry at `key` (any DN spelling), or null. */
  lookup(key: string): StoredEntry | null {
    const slot = this.#entries.get(this.#norm(key, key));
    return slot ? this.#stored(slot) : null;
  }

  /** The person or group at `key`, or null when absent or of another type. */
  get(key: string, type: ObjectType): TargetEntry | null {
    const e = this.lookup(key);
    return e && e.type === type ? { key: e.key, type, attrs: e.attrs } : null;
  }

  /** Adds an entry while loading; a second entry at the same DN is an error. */
  load(key: string, attrs: Record<string, string[]>, type?: ObjectType | null): void {
    const norm = this.#norm(key, key);
    if (this.#entries.has(norm)) throw twice(key);
    const slot: Slot = {
      key,
      type: type === undefined ? this.#typeOf(attrs) : type,
      attrs: copyAttrs(attrs),
      text: "",
      form: "raw",
      at: -1,
      bytes: 0,
    };
    this.#set(norm, slot);
  }

  /**
   * Adds an entry while loading, kept only as the position of its LDIF content record in the
   * directory's content file (validated by the caller), read back and parsed when the entry is
   * read or changed; `form` says how it is written. A second entry at the same DN is an error.
   */
  loadAt(key: string, at: number, bytes: number, form: TextForm, type: ObjectType | null): void {
    if (!this.#content) throw new OverstapError("INTERNAL", `no content file to read "${key}" from`);
    const slot: Slot = { key: detached(key), type, attrs: null, text: "", form, at, bytes };
    if (!this.#set(this.#norm(key, key), slot)) throw twice(key);
  }

  /**
   * Applies one operation idempotently: an effect already present is a no-op (no change records).
   * Throws TARGET_CONFLICT, TARGET_NO_SUCH_OBJECT, TARGET_SCHEMA or TARGET_WRITE when it cannot.
   */
  apply(op: Operation): Applied {
    const norm = this.#norm(op.key, `the key of ${describe(op)}`);
    const current = this.#current(norm);
    switch (op.kind) {
      case "create":
        return this.#create(op, norm, current);
      case "delete":
        return this.#delete(op, norm, current);
      case "rename":
        return this.#rename(op, norm, current);
      default: {
        const entry = this.#existing(op, current);
        const after = expectedAfter(op, this.#typed(entry)) as TargetEntry;
        return this.#modify(op, norm, entry, after.attrs);
      }
    }
  }

  /**
   * Replays one change record, as when recovering from a crash. Tolerant where the effect is
   * already present (an add of an existing entry replaces it, a delete of a missing one is
   * skipped, a modrdn already done is skipped); a modify of a missing entry is an error.
   */
  replay(record: LdifChangeRecord): void {
    const norm = this.#norm(record.dn, record.dn);
    const current = this.#current(norm);
    const where = `change record for "${record.dn}"${record.line ? ` at line ${record.line}` : ""}`;
    switch (record.kind) {
      case "add":
        if (current) this.#remove(norm);
        this.#put(norm, { key: record.dn, type: this.#typeOf(record.attrs), attrs: copyAttrs(record.attrs) });
        return;
      case "delete":
        if (current) this.#remove(norm);
        return;
      case "modify": {
        if (!current) throw new OverstapError("TARGET_INVALID", `${where}: the entry does not exist`);
        const attrs = applyChanges(current.attrs, modificationsToChanges(record.mods));
        this.#put(norm, { key: current.key, type: this.#typeOf(attrs, current.type), attrs });
        return;
      }
      case "modrdn": {
        const newKey = movedDn(record.dn, record.newRdn, record.newSuperior);
        const newNorm = this.#norm(newKey, where);
        if (!current) {
          if (this.#entries.has(newNorm)) return;
          throw new OverstapError("TARGET_INVALID", `${where}: neither the entry nor its new DN exists`);
        }
        const attrs = record.deleteOldRdn
          ? withNewRdn(current.attrs, current.key, record.newRdn)
          : current.attrs;
        this.#remove(norm);
        this.#put(newNorm, { key: newKey, type: current.type, attrs });
      }
    }
  }

  #create(op: Operation, norm: string, current: StoredEntry | null): Applied {
    const after = expectedAfter(op, null) as TargetEntry;
    after.attrs = copyAttrs(after.attrs);
    if (current) {
      const same =
        current.type === op.type && sameEntry({ ...after, key: current.key }, this.#typed(current));
      if (same) return { after: this.#typed(current), changes: [] };
      throw new OverstapError(
        "TARGET_CONFLICT",
        `${describe(op)}: a different entry already exists at that DN`,
        {
          hint: "Make a new plan: the target changed since this one was made.",
        },
      );
    }
    this.#checkType(op, after.attrs);
    this.#put(norm, { key: op.key, type: op.type, attrs: after.attrs });
    return {
      after: this.#typed(this.#current(norm)),
      changes: [{ kind: "add", dn: op.key, attrs: after.attrs }],
    };
  }

  #delete(op: Operation, norm: string, current: StoredEntry | null): Applied {
    if (!current) return { after: null, changes: [] };
    this.#checkTypeOf(op, current);
    this.#checkLeaf(op, norm);
    this.#remove(norm);
    return { after: null, changes: [{ kind: "delete", dn: current.key }] };
  }

  #rename(op: Operation, norm: string, current: StoredEntry | null): Applied {
    const newKey = op.newKey ?? op.key;
    const newNorm = this.#norm(newKey, `the new key of ${describe(op)}`);
    if (newNorm === norm) {
      const entry = this.#existing(op, current);
      return this.#modify(op, norm, entry, applyChanges(entry.attrs, op.changes ?? []));
    }
    const there = this.#current(newNorm);
    if (!current) {
      const entry = this.#existing(op, there);
      return this.#modify(op, newNorm, entry, applyChanges(entry.attrs, op.changes ?? []));
    }
    if (there) {
      throw new OverstapError(
        "TARGET_CONFLICT",
        `${describe(op)}: another entry already exists at "${newKey}"`,
        {
          hint: "Make a new plan: the target changed since this one was made.",
        },
      );
    }
    this.#checkTypeOf(op, current);
    this.#checkLeaf(op, norm);
    const [newRdn, newParent] = splitFirstRdn(newKey);
    const [, oldParent] = splitFirstRdn(current.key);
    const modrdn: LdifChangeRecord =
      newParent === oldParent
        ? { kind: "modrdn", dn: current.key, newRdn, deleteOldRdn: true }
        : { kind: "modrdn", dn: current.key, newRdn, deleteOldRdn: true, newSuperior: newParent };
    const movedKey = movedDn(current.key, newRdn, modrdn.kind === "modrdn" ? modrdn.newSuperior : undefined);
    const moved = withNewRdn(current.attrs, current.key, newRdn);
    const after = expectedAfter(op, this.#typed(current)) as TargetEntry;
    const attrs = copyAttrs(after.attrs);
    this.#checkType(op, attrs);
    this.#remove(norm);
    this.#put(newNorm, { key: movedKey, type: current.type, attrs });
    const mods = diffAttrs(moved, attrs);
    const changes: LdifChangeRecord[] = [modrdn];
    if (mods.length) changes.push({ kind: "modify", dn: movedKey, mods });
    return { after: this.#typed(this.#current(newNorm)), changes };
  }

  #modify(op: Operation, norm: string, entry: StoredEntry, afterAttrs: Record<string, string[]>): Applied {
    const attrs = copyAttrs(afterAttrs);
    const mods = diffAttrs(entry.attrs, attrs);
    if (!mods.length) return { after: this.#typed(entry), changes: [] };
    this.#checkType(op, attrs);
    this.#put(norm, { key: entry.key, type: entry.type, attrs });
    return {
      after: this.#typed(this.#current(norm)),
      changes: [{ kind: "modify", dn: entry.key, mods }],
    };
  }

  #existing(op: Operation, current: StoredEntry | null): StoredEntry {
    if (current) {
      this.#checkTypeOf(op, current);
      return current;
    }
    throw new OverstapError("TARGET_NO_SUCH_OBJECT", `${describe(op)}: no entry at that DN`, {
      hint: "Make a new plan: the entry was removed from the target since this one was made.",
    });
  }

  #checkTypeOf(op: Operation, entry: StoredEntry): void {
    if (entry.type === op.type) return;
    throw new OverstapError(
      "TARGET_CONFLICT",
      `${describe(op)}: the entry at that DN is ${entry.type === null ? "neither a person nor a group" : `a ${entry.type}`}`,
      { hint: "Check the plan's keys against the target." },
    );
  }

  #checkType(op: Operation, attrs: Record<string, string[]>): void {
    if (!this.#classify) return;
    const type = this.#classify(attrs);
    if (type === op.type) return;
    throw new OverstapError(
      "TARGET_SCHEMA",
      `${describe(op)}: its objectClass values (${attrValues(attrs, "objectClass").join(", ") || "none"}) make it ${type === null ? "neither a person nor a group" : `a ${type}`}`,
      { hint: "Fix the mapping's objectClass, or personClasses/groupClasses of the target." },
    );
  }

  #checkLeaf(op: Operation, norm: string): void {
    const n = this.#childCounts().get(norm) ?? 0;
    if (n === 0) return;
    throw new OverstapError("TARGET_WRITE", `${describe(op)}: the entry has ${n} entries below it`, {
      hint: "Persons and groups are leaves; move or remove the entries below it first.",
    });
  }

  #typeOf(attrs: Record<string, string[]>, fallback: ObjectType | null = null): ObjectType | null {
    return this.#classify ? this.#classify(attrs) : fallback;
  }

  #typed(e: StoredEntry | null): TargetEntry | null {
    return e && e.type !== null ? { key: e.key, type: e.type, attrs: copyAttrs(e.attrs) } : null;
  }

  /** The entry at `norm`, its attributes not copied (callers copy before they change them). */
  #current(norm: string): StoredEntry | null {
    const slot = this.#entries.get(norm);
    if (!slot) return null;
    return {
      key: slot.key,
      type: slot.type,
      attrs: slot.attrs ?? parseEntryText(this.#textOf(slot), slot.form),
    };
  }

  /** The LDIF text of a slot without attributes. */
  #textOf(slot: Slot): string {
    if (slot.at < 0) return slot.text;
    const content = this.#content as ContentFile;
    const text = content.text(slot.at, slot.bytes);
    // Canonical and plain text starts with its DN: a cheap check that the file still holds it.
    if (slot.form !== "raw" && !text.startsWith("dn:")) throw content.changed();
    return text;
  }

  /** A fresh copy of the slot's attributes. */
  #attrsOf(slot: Slot): Record<string, string[]> {
    return slot.attrs ? copyAttrs(slot.attrs) : parseEntryText(this.#textOf(slot), slot.form);
  }

  #stored(slot: Slot): StoredEntry {
    return { key: slot.key, type: slot.type, attrs: this.#attrsOf(slot) };
  }

  /** The slot's canonical LDIF record. */
  #canonicalText(slot: Slot): string {
    if (slot.form === "canonical" && !slot.attrs) return this.#textOf(slot);
    return formatLdifRecord({ kind: "content", dn: slot.key, attrs: canonicalAttrs(this.#attrsOf(slot)) });
  }

  #sorted(): Slot[] {
    const keys = [...this.#entries.keys()].sort();
    return keys.map((k) => this.#entries.get(k) as Slot);
  }

  /** Stores a changed entry, as compact LDIF text when that gives back exactly its attributes. */
  #put(norm: string, entry: StoredEntry): void {
    this.#set(norm, compacted(entry));
  }

  /** Stores `slot` at `norm`; true when no entry was there before. */
  #set(norm: string, slot: Slot): boolean {
    const size = this.#entries.size;
    this.#entries.set(norm, slot);
    if (this.#entries.size === size) return false;
    const children = this.#children;
    if (children) {
      const parent = parentTreeKey(norm);
      children.set(parent, (children.get(parent) ?? 0) + 1);
    }
    return true;
  }

  #remove(norm: string): void {
    if (!this.#entries.delete(norm)) return;
    const children = this.#children;
    if (!children) return;
    const parent = parentTreeKey(norm);
    const n = (children.get(parent) ?? 1) - 1;
    if (n > 0) children.set(parent, n);
    else children.delete(parent);
  }

  #childCounts(): Map<string, number> {
    if (this.#children) return this.#children;
    const children = new Map<string, number>();
    for (const norm of this.#entries.keys()) {
      const parent = parentTreeKey(norm);
      children.set(parent, (children.get(parent) ?? 0) + 1);
    }
    this.#children = children;
    return children;
  }

  #norm(dn: string, what: string): string {
    try {
      return treeKey(dn);
    } catch (err) {
      throw new OverstapError("TARGET_INVALID", `${what}: "${dn}" is not a valid DN`, {
        cause: err,
        hint: "Write DNs as RFC 4514 strings, e.g. uid=piet,ou=people,dc=school,dc=nl.",
      });
    }
  }
}
