import { formatDn, parseDn } from "../../src/model/dn.js";
import { generalizedTime } from "../../src/model/generalized-time.js";
import type { AttrChange, Operation } from "../../src/model/operation.js";
import type { LdapConfig } from "./config.js";

/** What the configured disable strategy does for one operation: changes, and a new DN for the ou strategy. */
export interface StrategyEffect {
  changes: AttrChange[];
  newKey?: string;
}

function moveTo(dn: string, parent: string): string {
  const rdn = parseDn(dn)[0] ?? [];
  return formatDn([rdn, ...parseDn(parent)]);
}

/**
 * The effect of a `disable` or `enable` operation that carries no changes of its own (the
 * planner left the how to the target): with strategy `attribute`, set (or clear) the status
 * attribute and, when `purgeAttribute` is configured and the operation has `purgeAfter`,
 * the purge date; with strategy `ou`, move the entry to `disable.ou` (or back to the people
 * base). Null for every other operation: those are applied exactly as planned.
 * @example strategyFor({ kind: "disable", key, purgeAfter: "2026-09-01", … }, config)
 */
export function strategyFor(op: Operation, config: LdapConfig): StrategyEffect | null {
  if ((op.kind !== "disable" && op.kind !== "enable") || (op.changes?.length ?? 0) > 0 || op.newKey)
    return null;
  const d = config.disable;
  if (!d) return null;
  const disabling = op.kind === "disable";
  if (d.strategy === "ou") {
    const parent = disabling ? (d.ou as string) : (config.peopleBase ?? config.baseDn);
    return { changes: [], newKey: moveTo(op.key, parent) };
  }
  const changes: AttrChange[] = [{ attr: d.attribute, replace: disabling ? [d.value] : [] }];
  if (d.purgeAttribute !== undefined) {
    const purge = disabling && op.purgeAfter ? [generalizedTime(op.purgeAfter)] : [];
    changes.push({ attr: d.purgeAttribute, replace: purge });
  }
  return { changes };
}
