/** How retries back off: exponential from `baseMs`, capped at `maxMs`, jittered. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** Uniform in [0, 1); `Math.random` unless a test fixes it. */
  random?: () => number;
}

/** What the web-API connectors use unless they say otherwise. */
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, maxMs: 30_000 };

/**
 * The wait before retrying after failed attempt `attempt` (0 for the first): the exponential
 * step `min(maxMs, baseMs · 2^attempt)`, jittered to between half of it and all of it, so many
 * clients do not retry in lock-step and none waits less than half its step.
 * @example await sleep(backoffMs(attempt), signal)
 */
export function backoffMs(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const step = Math.min(options.maxMs, options.baseMs * 2 ** attempt);
  return step * (0.5 + (options.random ?? Math.random)() / 2);
}
