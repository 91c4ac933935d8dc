/**
 * The HTTP plumbing every web-API connector needs, API-neutral: a timeout per attempt,
 * `Retry-After` in both forms, jittered exponential backoff, a unit/quota budget, and the
 * hook through which each connector translates its API's errors. Entra uses it; Google, SCIM
 * and eduID connectors are to.
 */
export { type BackoffOptions, backoffMs, DEFAULT_BACKOFF } from "./backoff.js";
export { sleep, UnitBudget } from "./budget.js";
export { type HttpErrorTranslation, isRetryableStatus } from "./errors.js";
export { retryAfterMs } from "./retry-after.js";
export {
  type AttemptOptions,
  attemptSignal,
  type HttpAnswer,
  type HttpFailure,
  sendRequest,
} from "./send.js";
