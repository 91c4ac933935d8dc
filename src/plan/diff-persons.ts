import { attrValues, expectedAfter, fingerprint } from "../model/entry.js";
import type { AttrChange, Operation, OperationKind } from "../model/operation.js";
import type { ReviewItem } from "../model/review.js";
import type { TargetEntry } from "../model/target-entry.js";
import type { TargetRules } from "../model/target-rules.js";
import { diffAttributes } from "./diff.js";
import type { MappedPerson } from "./mapped-person.js";
import type { OperationOrder } from "./operation-order.js";
import { adoptedBy, adoptionItem, type Ownership, protectedItem } from "./ownership.js";
import type { SpoolReader } from "./perf/attribute-spool.js";
import type { TargetIndex } from "./target-index.js";
import type { TargetRecord } from "./target-record.js";

/** What the person diff needs. */
export interface PersonDiffInputs {
  target: TargetIndex;
  reader: SpoolReader;
  ops: OperationOrder;
  review: ReviewItem[];
  ownership: Ownership;
  rules: TargetRules;
  allowed: ReadonlySet<OperationKind | "adopt">;
  /** Lower-cased names of the attributes whose change is an identity-key change. */
  identityKeys: ReadonlySet<string>;
  /** The attributes the plan manages on persons (see `digestNames`). */
  managed: string[];
  /** When a disabled entry may be deleted. */
  purgeAfter: Date;
}

/** What the person diff found, besides its operations and review items. */
export interface PersonDiff {
  /** Source reference → the key its entry has once the plan is applied (for group members). */
  finalKeyOf: Map<string, string>;
  unchanged: number;
  /** Selected persons that were not left out. */
  population: number;
  /** Selected persons without an entry that the source has disabled (no account made). */
  sourceDisabled: number;
}

/**
 * The person diff: a create for each selected person without an entry, and for each linked
 * one the rename, update, disable or enable the stage allows; objects it may not change are
 * reviewed instead. Marks every mapped person's entry present (the rest are leavers).
 *
 * @example
 * const { finalKeyOf } = diffPersons(mapped, { target, reader, ops, review, ownership, rules, … });
 */
export function diffPersons(mapped: MappedPerson[], inputs: PersonDiffInputs): PersonDiff {
  const { target } = inputs;
  const diff: PersonDiff = { finalKeyOf: new Map(), unchanged: 0, population: 0, sourceDisabled: 0 };
  for (const m of mapped) {
    const anchored = target.byAnchor.get(m.anchor);
    if (anchored) anchored.present = true;
    if (m.dropped) continue;
    const linked = anchored ?? target.linkedPerson(m);
    if (linked) diff.finalKeyOf.set(m.ref, linked.key);
    if (!m.selected) continue;
    diff.population++;
    if (!linked) planNew(m, inputs, diff);
    else if (unchangedByDigest(m, linked, target)) diff.unchanged++;
    else planLinked(m, linked, anchored !== undefined, inputs, diff);
  }
  mapped.length = 0;
  return diff;
}

/** A create for a selected person without an entry, unless the source disabled it or its key is taken. */
function planNew(m: MappedPerson, inputs: PersonDiffInputs, diff: PersonDiff): void {
  if (!m.enabled) {
    diff.sourceDisabled++;
    return;
  }
  const occupied = inputs.target.byKey.get(m.norm);
  if (occupied) {
    inputs.review.push({
      record: m.ref,
      field: "key",
      rule: "correlation-conflict",
      reason: `the target already has ${occupied.key}, linked to another person`,
      severity: "error",
      candidates: [occupied.key],
    });
    return;
  }
  diff.finalKeyOf.set(m.ref, m.key);
  // The spool row's text goes into the plan as it is, unless an identifier was patched in.
  if (!m.isPatched && inputs.ops.pushCreate(m.key, m.ref, () => inputs.reader.raw(m.row))) return;
  inputs.ops.push({
    seq: 0,
    kind: "create",
    type: "person",
    key: m.key,
    ref: m.ref,
    attrs: m.patched(inputs.reader.read(m.row)),
    fingerprint: null,
  });
}

/** Same digest, key and state: nothing to do, without reading the entry back or diffing it. */
function unchangedByDigest(m: MappedPerson, linked: TargetRecord, target: TargetIndex): boolean {
  return (
    target.digested &&
    !m.isPatched &&
    linked.digest0 === m.digest0 &&
    linked.digest1 === m.digest1 &&
    linked.norm === m.norm &&
    linked.disabled !== m.enabled
  );
}

/** The rename, update, disable or enable of a linked person, as far as the stage allows and ownership permits. */
function planLinked(
  m: MappedPerson,
  linked: TargetRecord,
  anchored: boolean,
  inputs: PersonDiffInputs,
  diff: PersonDiff,
): void {
  const { allowed, review, rules } = inputs;
  const existing = linked.entry();
  const changes = diffAttributes(existing.attrs, m.patched(inputs.reader.read(m.row)), inputs.managed);
  const disabled = rules.isDisabled(existing.attrs, existing.key);
  const willRename = linked.norm !== m.norm && allowed.has("rename");
  const willUpdate = !willRename && changes.length > 0 && allowed.has("update");
  const willDisable = !m.enabled && !disabled && allowed.has("disable");
  const willEnable = !willDisable && m.enabled && disabled && allowed.has("enable");
  if (willRename && inputs.target.byKey.has(m.norm)) {
    review.push({
      record: m.ref,
      field: "key",
      rule: "rename-conflict",
      reason: `cannot rename ${existing.key}: ${m.key} is taken`,
      severity: "error",
      candidates: [m.key],
    });
    return;
  }
  if (!willRename && !willUpdate && !willDisable && !willEnable) {
    diff.unchanged++;
    return;
  }
  const protectedBy = inputs.ownership.protectedBy(existing);
  if (protectedBy) {
    review.push(protectedItem(m.ref, existing.key, protectedBy));
    return;
  }
  const adoption = anchored ? undefined : adoptedBy(inputs.target.linkedBy(m.anchor));
  if (adoption) review.push(adoptionItem(m.ref, existing.key, adoption));
  const adopt = adoption ? { adopt: true as const } : {};
  const identityChanges = changedIdentityKeys(existing, changes, inputs.identityKeys);
  const extra = { ...(identityChanges.length ? { identityChanges } : {}), ...adopt };
  let key = existing.key;
  let state: TargetEntry | null = existing;
  const push = (op: Operation) => {
    inputs.ops.push(op);
    key = op.newKey ?? op.key;
    if (willDisable || willEnable) state = expectedAfter(op, state);
  };
  const before = fingerprint(existing);
  if (willRename) {
    push({
      seq: 0,
      kind: "rename",
      type: "person",
      key: existing.key,
      newKey: m.key,
      ref: m.ref,
      changes,
      fingerprint: before,
      ...extra,
    });
    diff.finalKeyOf.set(m.ref, m.key);
  } else if (willUpdate) {
    push({
      seq: 0,
      kind: "update",
      type: "person",
      key: existing.key,
      ref: m.ref,
      changes,
      fingerprint: before,
      ...extra,
    });
  }
  if (willDisable) {
    push({
      seq: 0,
      kind: "disable",
      type: "person",
      key,
      ref: m.ref,
      changes: rules.disable({ purgeAfter: inputs.purgeAfter }),
      fingerprint: fingerprint(state),
      purgeAfter: inputs.purgeAfter.toISOString(),
      reason: "disabled at the source",
      ...adopt,
    });
  } else if (willEnable) {
    push({
      seq: 0,
      kind: "enable",
      type: "person",
      key,
      ref: m.ref,
      changes: rules.enable(),
      fingerprint: fingerprint(state),
      ...adopt,
    });
  }
}

/** The identity-key attributes `changes` alter that the entry already holds a value of. */
function changedIdentityKeys(
  existing: TargetEntry,
  changes: AttrChange[],
  identityKeys: ReadonlySet<string>,
): string[] {
  return changes
    .filter((c) => identityKeys.has(c.attr.toLowerCase()) && attrValues(existing.attrs, c.attr).length > 0)
    .map((c) => c.attr);
}
