import type { Protect, ProtectRule } from "../config/schema.js";
import { attrValues } from "../model/entry.js";
import type { ReviewItem } from "../model/review.js";
import type { TargetEntry } from "../model/target-entry.js";
import type { StateStore } from "../state/store.js";
import { normKey } from "./keys.js";

/** State namespace: normalised key of a group Overstap created or adopted → the run that did ("" once deleted). */
export const OWNED_GROUPS = "owned-groups";
/** State namespace of project facts (store id, plan key, migrations done). */
export const PROJECT_NS = "project";
const OWNED_GROUPS_INDEXED = "owned-groups-indexed";

/** How an unmanaged person entry was found: at the person's own key, or by a correlation key. */
export type AdoptedBy = { key: true } | { attribute: string };

/**
 * Who owns what in the target. A person entry is managed when it carries Overstap's anchor; a
 * group when a recorded run created (or, with consent, adopted) it. Everything else is an
 * adoption, and objects matching `protect` are never changed at all.
 */
export class Ownership {
  readonly #rules: readonly { rule: ProtectRule; norm: string }[];
  readonly #unmanagedGroups: boolean;
  readonly #owned: ReadonlySet<string>;

  constructor(protect: Protect, ownedGroups: ReadonlySet<string>) {
    this.#rules = protect.objects.map((rule) => ({
      rule,
      norm: "dn" in rule ? normKey(rule.dn) : "subtree" in rule ? normKey(rule.subtree) : "",
    }));
    this.#unmanagedGroups = protect.unmanagedGroups;
    this.#owned = ownedGroups;
  }

  /** True when a run recorded in the state created or adopted the group at `norm`. */
  groupManaged(norm: string): boolean {
    return this.#owned.has(norm);
  }

  /**
   * Why the group `entry` (normalised key `norm`) must not be changed, in words: a
   * `protect.objects` rule, or `protect.unmanagedGroups` for a group Overstap did not create.
   */
  groupProtectedBy(entry: TargetEntry, norm: string): string | undefined {
    if (this.#unmanagedGroups && !this.groupManaged(norm))
      return this.protectedBy(entry) ?? "protect.unmanagedGroups: Overstap did not create this group";
    return this.protectedBy(entry);
  }

  /** The `protect.objects` rule `entry` matches, in words, or undefined. */
  protectedBy(entry: TargetEntry): string | undefined {
    const norm = normKey(entry.key);
    for (const { rule, norm: ruleNorm } of this.#rules) {
      if ("dn" in rule && norm === ruleNorm) return `protect.objects dn ${rule.dn}`;
      if ("subtree" in rule && (norm === ruleNorm || norm.endsWith(`,${ruleNorm}`)))
        return `protect.objects subtree ${rule.subtree}`;
      if ("attribute" in rule) {
        const want = rule.value.toLowerCase();
        if (attrValues(entry.attrs, rule.attribute).some((v) => v.toLowerCase() === want))
          return `protect.objects ${rule.attribute}=${rule.value}`;
      }
    }
    return undefined;
  }
}

/** How an unmanaged person entry was linked, from the correlation key that linked it (none: its key). */
export function adoptedBy(attribute: string | undefined): AdoptedBy {
  return attribute === undefined ? { key: true } : { attribute };
}

/** The review item of an object left alone because it is protected. */
export function protectedItem(record: string, key: string, why: string): ReviewItem {
  return {
    record,
    field: "key",
    rule: "protected",
    reason: `${key} is protected (${why}); Overstap leaves it unchanged`,
    severity: "error",
    candidates: [key],
  };
}

/** The review item of an adoption: the plan changes an object Overstap does not manage yet. */
export function adoptionItem(record: string, key: string, by: AdoptedBy | "group"): ReviewItem {
  const how =
    by === "group"
      ? "a group with this name that Overstap did not create"
      : "key" in by
        ? "an entry without an Overstap anchor at the person's key"
        : `an entry without an Overstap anchor that matches by ${by.attribute}`;
  return {
    record,
    field: by !== "group" && "attribute" in by ? by.attribute : "key",
    rule: "adoption",
    reason: `adopts ${how}; apply needs --accept-adoptions (or allow: [adopt] on the stage)`,
    severity: "warning",
    candidates: [key],
  };
}

/**
 * The groups Overstap owns: created or adopted by a done operation of a recorded run that was
 * not rolled back, and not deleted since. A state store written before ownership was recorded
 * is indexed from its journals once (not with `readOnly`, which takes the marks as they are).
 */
export async function ownedGroups(
  store: StateStore,
  options: { readOnly?: boolean } = {},
): Promise<Set<string>> {
  const indexed = await store.getValues(PROJECT_NS, [OWNED_GROUPS_INDEXED]);
  if (!indexed.size && !options.readOnly) await indexOwnedGroups(store);
  const undone = new Set<string>();
  for (const run of await store.listRuns())
    if (run.kind === "rollback" && run.rollbackOf && run.status === "completed") undone.add(run.rollbackOf);
  const owned = new Set<string>();
  for await (const [key, run] of store.allValues(OWNED_GROUPS)) if (run && !undone.has(run)) owned.add(key);
  return owned;
}

/** The ownership marks a done group operation leaves (`[normalised key, run or ""]`), or undefined. */
export function ownershipMark(
  op: { type: string; kind: string; key: string; adopt?: true | undefined },
  runId: string,
): [string, string] | undefined {
  if (op.type !== "group") return undefined;
  if (op.kind === "delete") return [normKey(op.key), ""];
  if (op.kind === "create" || op.adopt) return [normKey(op.key), runId];
  return undefined;
}

async function indexOwnedGroups(store: StateStore): Promise<void> {
  const marks = new Map<string, string>();
  const runs = (await store.listRuns()).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  for (const run of runs) {
    const begun = new Map<number, [string, string]>();
    for await (const rec of store.readJournal(run.id)) {
      if (rec.phase === "begin") {
        const mark = ownershipMark(rec.op, run.id);
        if (mark) begun.set(rec.seq, mark);
      } else if (rec.phase === "done") {
        const mark = begun.get(rec.seq);
        if (mark) marks.set(mark[0], mark[1]);
      }
    }
  }
  await store.setValues(OWNED_GROUPS, marks);
  await store.setValues(PROJECT_NS, [[OWNED_GROUPS_INDEXED, new Date().toISOString()]]);
}
