import { fingerprint } from "../model/entry.js";
import type { OperationKind } from "../model/operation.js";
import type { ReviewItem } from "../model/review.js";
import type { TargetRules } from "../model/target-rules.js";
import type { OperationOrder } from "./operation-order.js";
import { type Ownership, protectedItem } from "./ownership.js";
import type { TargetIndex } from "./target-index.js";

/** What the leavers step needs. */
export interface LeaverInputs {
  target: TargetIndex;
  ops: OperationOrder;
  review: ReviewItem[];
  ownership: Ownership;
  rules: TargetRules;
  allowed: ReadonlySet<OperationKind | "adopt">;
  /** Source records that could not be read far enough to know whose they are. */
  unidentified: number;
  now: Date;
  /** When an entry disabled now may be deleted. */
  purgeAfter: Date;
}

/**
 * The leavers step, for a stage that selects everyone: a managed entry whose person is no
 * longer in the sources is disabled, and deleted once disabled and past its purge date;
 * protected entries are reviewed instead. While a source has records it could not identify,
 * nobody is disabled (any of them may be that person), and a warning says so.
 *
 * @example
 * planLeavers({ target, ops, review, ownership, rules, allowed, unidentified: 0, now, purgeAfter });
 */
export function planLeavers(inputs: LeaverInputs): void {
  const { ops, review, rules, allowed } = inputs;
  let heldBack = 0;
  for (const record of inputs.target.byAnchor.values()) {
    if (record.anchor === undefined || record.present) continue;
    const entry = record.entry();
    const protectedBy = inputs.ownership.protectedBy(entry);
    if (!rules.isDisabled(entry.attrs, entry.key)) {
      if (inputs.unidentified > 0) heldBack++;
      else if (protectedBy) {
        if (allowed.has("disable")) review.push(protectedItem(entry.key, entry.key, protectedBy));
      } else if (allowed.has("disable")) {
        ops.push({
          seq: 0,
          kind: "disable",
          type: "person",
          key: entry.key,
          changes: rules.disable({ purgeAfter: inputs.purgeAfter }),
          fingerprint: fingerprint(entry),
          purgeAfter: inputs.purgeAfter.toISOString(),
          reason: "no longer in the source",
        });
      }
    } else if (allowed.has("delete") && rules.purgeDue(entry.attrs, inputs.now)) {
      if (protectedBy) {
        review.push(protectedItem(entry.key, entry.key, protectedBy));
        continue;
      }
      ops.push({
        seq: 0,
        kind: "delete",
        type: "person",
        key: entry.key,
        fingerprint: fingerprint(entry),
        reason: "disabled and past its purge date",
      });
    }
  }
  if (heldBack > 0) {
    review.push({
      record: "(sources)",
      rule: "disables-held-back",
      reason: `${heldBack} account(s) missing from the sources were not disabled, because ${inputs.unidentified} source record(s) could not be read far enough to know whose they are; fix those records first`,
      severity: "warning",
    });
  }
}
