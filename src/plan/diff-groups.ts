import type { Config } from "../config/schema.js";
import { attrValues, fingerprint } from "../model/entry.js";
import type { Group } from "../model/group.js";
import type { Operation, OperationKind } from "../model/operation.js";
import { refOf } from "../model/person.js";
import type { ReviewItem } from "../model/review.js";
import type { TargetEntry } from "../model/target-entry.js";
import { diffAttributes } from "./diff.js";
import type { EntryMapper } from "./entry-mapper.js";
import { resolveMembers, type SnapshotGroups } from "./group-members.js";
import { normKey } from "./keys.js";
import type { OperationOrder } from "./operation-order.js";
import { adoptionItem, type Ownership, protectedItem } from "./ownership.js";
import type { TargetIndex } from "./target-index.js";
import { validateSourceRecord } from "./validate-input.js";

/** The most member values one operation adds or removes. */
export const MEMBER_CHUNK = 1000;

/** What the group diff needs. */
export interface GroupDiffInputs {
  groups: Pick<Config, "groups">["groups"];
  snapshot: SnapshotGroups;
  mapper: EntryMapper;
  vars: Record<string, string>;
  target: TargetIndex;
  /** Source reference → the key of its person's entry once the plan is applied. */
  finalKeyOf: ReadonlyMap<string, string>;
  ops: OperationOrder;
  review: ReviewItem[];
  ownership: Ownership;
  allowed: ReadonlySet<OperationKind | "adopt">;
}

/** What the group diff counted. */
export interface GroupDiff {
  unchanged: number;
  population: number;
}

/**
 * The group diff: maps every group, resolves its members to person keys, and plans a create
 * (members in chunks) for a new group or the update and member changes of an existing one;
 * only persons Overstap manages are ever removed from a group. Groups Overstap does not own
 * are adopted (with consent) or protected.
 *
 * @example
 * const { unchanged } = diffGroups({ groups: config.groups, snapshot, mapper, vars, target, finalKeyOf, … });
 */
export function diffGroups(inputs: GroupDiffInputs): GroupDiff {
  const diff: GroupDiff = { unchanged: 0, population: 0 };
  if (!inputs.groups.manage) return diff;
  const memberAttr = inputs.groups.memberAttribute;
  const context: MemberDiff = {
    memberAttr,
    managedAttrs: inputs.mapper.attributes.group.filter((a) => a.toLowerCase() !== memberAttr.toLowerCase()),
    managedPersons: managedPersonKeys(inputs.target, inputs.finalKeyOf),
    allowed: inputs.allowed,
  };
  const keys = new Set<string>();
  for (const g of inputs.snapshot.groups) {
    const mapped = mapGroup(g, inputs, keys);
    if (!mapped) continue;
    const { ref, key, norm, attrs } = mapped;
    const members = memberKeys(g, inputs);
    const record = inputs.target.byKey.get(norm);
    if (!record) {
      if (members.length === 0) continue;
      diff.population++;
      const [first = [], ...rest] = chunks(members);
      inputs.ops.push({
        seq: 0,
        kind: "create",
        type: "group",
        key,
        ref,
        attrs: { ...attrs, [memberAttr]: first },
        fingerprint: null,
      });
      const base = { seq: 0, kind: "add-members" as const, type: "group" as const, key, ref };
      for (const part of rest)
        inputs.ops.push(memberOp(base, "add-members", { attr: memberAttr, values: part }, null));
      continue;
    }
    diff.population++;
    const existing = record.entry();
    const changes = groupChanges(existing, attrs, members, { ...context, ref });
    if (changes.length === 0) {
      diff.unchanged++;
      continue;
    }
    const protectedBy = inputs.ownership.groupProtectedBy(existing, norm);
    if (protectedBy) {
      inputs.review.push(protectedItem(ref, existing.key, protectedBy));
      continue;
    }
    const adopt = !inputs.ownership.groupManaged(norm);
    if (adopt) inputs.review.push(adoptionItem(ref, existing.key, "group"));
    for (const op of changes) inputs.ops.push(adopt ? { ...op, adopt: true } : op);
  }
  return diff;
}

/** A group mapped and checked (mapping errors, unreadable names, a key another group has); else null with review items. */
function mapGroup(
  g: Group,
  inputs: GroupDiffInputs,
  keys: Set<string>,
): { ref: string; key: string; norm: string; attrs: Record<string, string[]> } | null {
  const ref = refOf(g);
  const result = inputs.mapper.mapGroup(g, inputs.vars);
  if (!result) return null;
  if (!result.ok) {
    for (const e of result.errors)
      inputs.review.push({
        record: ref,
        field: e.field,
        rule: "mapping",
        reason: e.reason,
        severity: "error",
      });
    return null;
  }
  const inputProblems = validateSourceRecord(ref, { name: g.name, displayName: g.displayName });
  if (inputProblems.length) {
    inputs.review.push(...inputProblems);
    return null;
  }
  const norm = normKey(result.key);
  if (keys.has(norm)) {
    inputs.review.push({
      record: ref,
      field: "key",
      rule: "duplicate",
      reason: `another group maps to ${result.key} too`,
      severity: "error",
    });
    return null;
  }
  keys.add(norm);
  return { ref, key: result.key, norm, attrs: result.attrs };
}

/** The person keys of a group's transitive members that have an entry; a cycle is warned about. */
function memberKeys(g: Group, inputs: GroupDiffInputs): string[] {
  const ref = refOf(g);
  const cycle = () =>
    inputs.review.push({
      record: ref,
      field: "members",
      rule: "group-cycle",
      reason: `group ${g.name} contains itself through its nested groups; its members are taken once`,
      severity: "warning",
    });
  const members: string[] = [];
  for (const id of resolveMembers(g, inputs.snapshot.byRef, cycle)) {
    const k = inputs.finalKeyOf.get(`${g.source}:${id}`);
    if (k !== undefined) members.push(k);
  }
  return members;
}

/**
 * Normalised keys of the persons Overstap manages, built on first need: only members of groups
 * the target already has can be removed.
 */
function managedPersonKeys(
  target: TargetIndex,
  finalKeyOf: ReadonlyMap<string, string>,
): () => ReadonlySet<string> {
  let managed: Set<string> | undefined;
  return () => {
    if (managed) return managed;
    managed = new Set<string>();
    for (const e of target.byAnchor.values()) managed.add(e.norm);
    for (const k of finalKeyOf.values()) managed.add(normKey(k));
    return managed;
  };
}

/** `values` in chunks of {@link MEMBER_CHUNK}. */
function chunks(values: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < values.length; i += MEMBER_CHUNK) out.push(values.slice(i, i + MEMBER_CHUNK));
  return out;
}

/**
 * An operation that adds or removes one chunk of members, on top of `base` (the fields before
 * `changes`: a field `base` has keeps its place, so plans are written as before).
 */
function memberOp(
  base: Pick<Operation, "seq" | "type" | "key" | "ref"> & Partial<Pick<Operation, "kind">>,
  kind: "add-members" | "remove-members",
  change: { attr: string; values: string[] },
  fp: string | null,
): Operation {
  const field = kind === "add-members" ? "add" : "remove";
  return { ...base, kind, changes: [{ attr: change.attr, [field]: change.values }], fingerprint: fp };
}

/** What {@link groupChanges} needs besides the group. */
interface MemberDiff {
  memberAttr: string;
  managedAttrs: readonly string[];
  /** Normalised keys of the persons Overstap manages: only those are ever removed from a group. */
  managedPersons: () => ReadonlySet<string>;
  allowed: ReadonlySet<string>;
}

/**
 * The operations that bring an existing group to its mapped attributes and `members`: an
 * update, members added and members removed (only persons Overstap manages), in chunks of
 * {@link MEMBER_CHUNK}, as far as the stage allows each kind.
 */
function groupChanges(
  existing: TargetEntry,
  attrs: Record<string, string[]>,
  members: readonly string[],
  diff: MemberDiff & { ref: string },
): Operation[] {
  const out: Operation[] = [];
  const base = { seq: 0, type: "group" as const, key: existing.key, ref: diff.ref };
  let before: string | null | undefined;
  const fp = () => {
    before ??= fingerprint(existing);
    return before;
  };
  const changes = diffAttributes(existing.attrs, attrs, diff.managedAttrs as string[]);
  if (changes.length && diff.allowed.has("update"))
    out.push({ ...base, kind: "update", changes, fingerprint: fp() });
  const have = attrValues(existing.attrs, diff.memberAttr);
  const haveNorm = new Set<string>();
  for (const k of have) haveNorm.add(normKey(k));
  const wantNorm = new Set<string>();
  const add: string[] = [];
  for (const k of members) {
    const n = normKey(k);
    wantNorm.add(n);
    if (!haveNorm.has(n)) add.push(k);
  }
  const remove = have.filter((k) => {
    const n = normKey(k);
    return !wantNorm.has(n) && diff.managedPersons().has(n);
  });
  for (const [kind, keys] of [
    ["add-members", add],
    ["remove-members", remove],
  ] as const) {
    if (!diff.allowed.has(kind)) continue;
    for (const part of chunks(keys))
      out.push(memberOp(base, kind, { attr: diff.memberAttr, values: part }, fp()));
  }
  return out;
}
