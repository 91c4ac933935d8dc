import type { RetryPolicy } from "./config.js";

/**
 * The delay before retry number `attempt` (1-based): exponential from `baseMs`, capped at
 * `maxMs`, with full jitter so that many clients do not reconnect in lock-step.
 * @example await sleep(backoffDelay(policy, 3))
 */
export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
