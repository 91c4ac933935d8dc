import type { OverstapError } from "../../src/errors.js";

/**
 * How one connector turns what its API answered into OverstapErrors: each web-API connector
 * writes its own (Graph's error body, Google's, SCIM's), the shared plumbing calls it.
 */
export interface HttpErrorTranslation {
  /** A final HTTP error: `what` names the request (e.g. `GET users`). */
  http(status: number, body: unknown, what: string): OverstapError;
  /** A request that got no usable answer (refused, reset, timed out, unreadable body). */
  transport(url: string, cause: unknown): OverstapError;
}

/** Statuses worth retrying on any web API: throttling and transient server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}
