/** What came back of one request: the status, headers and body text. */
export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/** No usable answer came: refused, reset, timed out. The caller's signal aborting throws instead. */
export interface HttpFailure {
  error: unknown;
}

/** How long one attempt may take, and the signal that ends everything. */
export interface AttemptOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

/** A signal that aborts after `timeoutMs` or when `signal` does. */
export function attemptSignal(options: AttemptOptions): AbortSignal {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  return options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
}

/**
 * Sends one request with a timeout per attempt and reads its body. A transport failure or a
 * timeout is returned (the caller decides whether to retry); the caller's own signal aborting
 * is thrown, never retried.
 * @example const res = await sendRequest(fetch, url, { method: "GET" }, { timeoutMs: 30_000, signal });
 */
export async function sendRequest(
  fetch: typeof globalThis.fetch,
  url: string,
  init: Omit<RequestInit, "signal">,
  options: AttemptOptions,
): Promise<HttpAnswer | HttpFailure> {
  try {
    const res = await fetch(url, { ...init, signal: attemptSignal(options) });
    return { status: res.status, headers: res.headers, text: await res.text() };
  } catch (error) {
    options.signal?.throwIfAborted();
    return { error };
  }
}
