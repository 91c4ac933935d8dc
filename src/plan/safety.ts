import type { Limit, Safety } from "../config/schema.js";
import { OverstapError } from "../errors.js";
import type { Summary } from "../model/plan.js";
import type { ObjectType } from "../model/target-entry.js";

/** One safety rail a plan trips. */
export interface RailViolation {
  rail: "maxDisables" | "maxDeletes" | "deletes" | "identityChanges" | "adoptions";
  type?: ObjectType;
  count: number;
  limit?: Limit;
  total?: number;
  message: string;
}

export interface RailFlags {
  allowDeletes?: boolean;
  acceptIdentityChanges?: boolean;
  /** Consent to take over objects Overstap does not manage (`--accept-adoptions` or `allow: [adopt]`). */
  acceptAdoptions?: boolean;
}

/**
 * The safety rails a plan trips, given its summary. Thresholds (count and percentage of the
 * target's objects of that kind) cannot be overridden on the command line: raise them in
 * `safety:` and plan again. Deletes need --allow-deletes; identity-key changes need
 * --accept-identity-changes; adoptions of unmanaged objects need --accept-adoptions.
 */
export function checkRails(summary: Summary, safety: Safety, flags: RailFlags = {}): RailViolation[] {
  const out: RailViolation[] = [];
  for (const type of ["person", "group"] as const) {
    const total = summary.target[type];
    const limits = safety[type];
    const rails = [
      ["maxDisables", "disable", limits.maxDisables],
      ["maxDeletes", "delete", limits.maxDeletes],
    ] as const;
    for (const [rail, kind, limit] of rails) {
      const count = summary[type][kind] ?? 0;
      if (count === 0) continue;
      const percent = total === 0 ? 100 : (count / total) * 100;
      if (count > limit.count || percent > limit.percent) {
        out.push({
          rail,
          type,
          count,
          limit,
          total,
          message: `${count} ${type} ${kind}s (${percent.toFixed(1)}% of ${total} in the target) exceed safety.${type}.${rail} (count ${limit.count}, percent ${limit.percent})`,
        });
      }
    }
    const deletes = summary[type].delete ?? 0;
    if (deletes > 0 && !flags.allowDeletes) {
      out.push({
        rail: "deletes",
        type,
        count: deletes,
        message: `the plan deletes ${deletes} ${type}(s); deletes need --allow-deletes`,
      });
    }
  }
  if (summary.identityChanges > 0 && !flags.acceptIdentityChanges) {
    out.push({
      rail: "identityChanges",
      count: summary.identityChanges,
      message: `the plan changes an identity key (uid, schacHomeOrganization, eduPersonPrincipalName or eckId) of ${summary.identityChanges} existing object(s); services key their users on these, so this needs --accept-identity-changes`,
    });
  }
  if (summary.adoptions > 0 && !flags.acceptAdoptions) {
    out.push({
      rail: "adoptions",
      count: summary.adoptions,
      message: `the plan adopts ${summary.adoptions} object(s) Overstap does not manage (an entry without its anchor, or a group it did not create); this needs --accept-adoptions or allow: [adopt] on the stage`,
    });
  }
  return out;
}

const RAIL_CODES = {
  identityChanges: "SAFETY_IDENTITY_CHANGE",
  adoptions: "SAFETY_ADOPTION",
  deletes: "SAFETY_DELETES",
  maxDisables: "SAFETY_THRESHOLD",
  maxDeletes: "SAFETY_THRESHOLD",
} as const;

/** Throws SAFETY_* (exit code 3) for the first kind of violation, listing all of them. */
export function enforceRails(violations: RailViolation[]): void {
  const first = violations[0];
  if (!first) return;
  const code = RAIL_CODES[first.rail];
  throw new OverstapError(
    code,
    `refused by a safety rail:\n${violations.map((v) => `  - ${v.message}`).join("\n")}`,
    {
      hint:
        first.rail === "maxDisables" || first.rail === "maxDeletes"
          ? "Check the plan's review and source filters first: mass disables usually mean a filter or a pull went wrong. If the numbers are right, raise the limit under `safety:` and plan again."
          : first.rail === "adoptions"
            ? "Read the adoptions in the plan's review list (`overstap report PLAN --format csv`): each is an account or group someone made by hand. If Overstap should take them over, run apply again with --accept-adoptions; to keep them out, list them under `protect:` and plan again."
            : "Read the plan's diff; if the changes are intended, run apply again with the flag named above.",
      details: { violations },
    },
  );
}
