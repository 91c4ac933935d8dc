/**
 * Graph's JSON batching (`POST /v1.0/$batch`): up to 20 GETs in one HTTP request, each with an
 * id; the answer holds one response per request, in any order, each with its own status,
 * headers (a throttled one has its own Retry-After) and body. Each request inside a batch is
 * charged against the resource-unit budget as if it had been sent alone.
 */

/** The most requests Graph accepts in one batch. */
export const MAX_BATCH = 20;

/** One response inside a batch response, put back at the position of its request. */
export interface BatchItemResponse {
  status: number;
  retryAfter?: string;
  body: unknown;
}

/** The body of a batch of GETs; request `i` gets id `"i"`, its url is relative to the version root. */
export function batchBody(calls: ReadonlyArray<{ relative?: string }>): string {
  return JSON.stringify({
    requests: calls.map((c, i) => ({ id: String(i), method: "GET", url: `/${c.relative ?? ""}` })),
  });
}

function header(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== "object") return undefined;
  for (const [k, v] of Object.entries(headers as Record<string, unknown>)) {
    if (k.toLowerCase() === name && (typeof v === "string" || typeof v === "number")) return String(v);
  }
  return undefined;
}

/**
 * The responses of a batch of `count` requests, indexed by request; a response that is missing
 * or unreadable leaves its slot undefined (the caller retries that request).
 */
export function readBatchResponses(body: unknown, count: number): Array<BatchItemResponse | undefined> {
  const out: Array<BatchItemResponse | undefined> = new Array(count).fill(undefined);
  const responses = (body as { responses?: unknown } | undefined)?.responses;
  if (!Array.isArray(responses)) return out;
  for (const r of responses) {
    const { id, status, headers, body: itemBody } = (r ?? {}) as Record<string, unknown>;
    const i = Number(id);
    if (!Number.isInteger(i) || i < 0 || i >= count || typeof status !== "number") continue;
    const retryAfter = header(headers, "retry-after");
    out[i] = { status, body: itemBody, ...(retryAfter === undefined ? {} : { retryAfter }) };
  }
  return out;
}
