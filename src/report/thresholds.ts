import { z } from "zod";
import { type OperationKind, OperationKindSchema } from "../model/operation.js";
import type { KindCounts, ThresholdCheck } from "./schema.js";

const LimitSchema = z.union([
  z.number().nonnegative(),
  z.object({ count: z.number().nonnegative().optional(), percent: z.number().nonnegative().optional() }),
]);

/**
 * Safety limits as the configuration writes them: `{ maxDeletes: 0, maxDisables: { count: 50,
 * percent: 5 } }`. A bare number is a count. Keys that are not `max<Kind>s` are ignored.
 */
export const SafetyLimitsSchema = z.record(z.string(), z.unknown());
export type SafetyLimits = z.infer<typeof SafetyLimitsSchema>;

const KEY = /^max([A-Z][a-zA-Z-]*?)s$/;

/** The safety limits a plan header carries, if it carries any (`header.safety`). */
export function limitsFromHeader(header: object): SafetyLimits | undefined {
  const parsed = SafetyLimitsSchema.safeParse((header as { safety?: unknown }).safety);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Checks each limit against the plan's counts; `base` is the number of objects in the target,
 * the denominator of the percentages.
 */
export function checkThresholds(limits: SafetyLimits, counts: KindCounts, base: number): ThresholdCheck[] {
  const checks: ThresholdCheck[] = [];
  for (const [key, raw] of Object.entries(limits)) {
    const kind = kindOf(key);
    const limit = LimitSchema.safeParse(raw);
    if (kind === undefined || !limit.success) continue;
    const { count: maxCount, percent: maxPercent } =
      typeof limit.data === "number" ? { count: limit.data, percent: undefined } : limit.data;
    const actual = counts[kind] ?? 0;
    const percent = base > 0 ? (actual / base) * 100 : 0;
    const exceeded =
      (maxCount !== undefined && actual > maxCount) || (maxPercent !== undefined && percent > maxPercent);
    checks.push({
      kind,
      actual,
      percent,
      ...(maxCount === undefined ? {} : { maxCount }),
      ...(maxPercent === undefined ? {} : { maxPercent }),
      exceeded,
    });
  }
  return checks.sort((a, b) => a.kind.localeCompare(b.kind));
}

function kindOf(key: string): OperationKind | undefined {
  const m = KEY.exec(key);
  if (!m?.[1]) return undefined;
  const parsed = OperationKindSchema.safeParse(m[1].toLowerCase());
  return parsed.success ? parsed.data : undefined;
}
