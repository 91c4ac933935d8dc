/**
 * The one error class of Overstap. Every failure a user can meet carries a stable `code`
 * (scripts and tests compare codes, never messages), a message that names the object and
 * field involved, and optionally a `hint` that says what to do next.
 */
export type ErrorCode =
  | "CONFIG_INVALID"
  | "CONFIG_NOT_FOUND"
  | "SECRET_MISSING"
  | "SECRET_IN_PLAIN_TEXT"
  | "MAPPING_INVALID"
  | "MAPPING_EVAL"
  | "SOURCE_INVALID"
  | "SOURCE_UNREACHABLE"
  | "SOURCE_AUTH"
  | "SOURCE_PERMISSION"
  | "SOURCE_THROTTLED"
  | "SOURCE_DELTA_EXPIRED"
  | "TARGET_INVALID"
  | "TARGET_UNREACHABLE"
  | "TARGET_AUTH"
  | "TARGET_CONFLICT"
  | "TARGET_NO_SUCH_OBJECT"
  | "TARGET_SCHEMA"
  | "TARGET_TLS"
  | "TARGET_WRITE"
  | "STATE_INVALID"
  | "STATE_UNREACHABLE"
  | "STAGE_UNKNOWN"
  | "STAGE_ORDER"
  | "STAGE_EMPTY"
  | "STAGE_SELECTION"
  | "PLAN_INVALID"
  | "PLAN_TAMPERED"
  | "PLAN_STALE"
  | "PLAN_FOREIGN"
  | "PLAN_UNAPPROVED"
  | "SAFETY_THRESHOLD"
  | "SAFETY_DELETES"
  | "SAFETY_IDENTITY_CHANGE"
  | "SAFETY_ADOPTION"
  | "RUN_UNKNOWN"
  | "RUN_STATE"
  | "ROLLBACK_DRIFT"
  | "ECKID_INVALID_PGN"
  | "ECKID_SERVICE"
  | "ECKID_TLS"
  | "REPORT_INVALID"
  | "REPORT_WRITE"
  | "USAGE"
  | "INTERNAL"
  | "RUN_INTERRUPTED"
  | "RUN_IN_PROGRESS"
  | "PLAN_APPLIED";

export interface OverstapErrorOptions {
  cause?: unknown;
  hint?: string;
  details?: Record<string, unknown>;
}

export class OverstapError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: OverstapErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "OverstapError";
    this.code = code;
    this.hint = options.hint;
    this.details = options.details ?? {};
  }
}

/** True when `err` is an {@link OverstapError}, optionally with the given code. */
export function isOverstapError(err: unknown, code?: ErrorCode): err is OverstapError {
  return err instanceof OverstapError && (code === undefined || err.code === code);
}

/**
 * Wraps anything thrown by a lower layer into an {@link OverstapError}, keeping an
 * existing one unchanged.
 */
export function toOverstapError(err: unknown, code: ErrorCode = "INTERNAL", context?: string): OverstapError {
  if (err instanceof OverstapError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new OverstapError(code, context ? `${context}: ${message}` : message, { cause: err });
}
