import { ODataError } from "./odata.js";

/**
 * JSON batching as Microsoft Graph documents it (`POST /v1.0/$batch`): at most 20 requests,
 * each with an `id` unique in the batch (case-insensitive), a `method` and a `url` relative to
 * the version root. A malformed batch is a 400 for the whole batch; otherwise the batch is a 200
 * whose `responses` (in any order) each carry their own `status`, `headers` and `body`.
 * `dependsOn` is not supported here.
 */
export interface BatchRequest {
  id: string;
  method: string;
  url: string;
}

/** One response inside a batch response. */
export interface BatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export const MAX_BATCH_REQUESTS = 20;

function bad(message: string): ODataError {
  return new ODataError(400, "BadRequest", message);
}

/** Parses and checks a `$batch` body; a malformed batch throws the 400 Graph answers with. */
export function parseBatch(text: string): BatchRequest[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw bad("Invalid batch payload format.");
  }
  const requests = (body as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests) || requests.length === 0) {
    throw bad("Invalid batch payload format: the body needs a non-empty 'requests' array.");
  }
  if (requests.length > MAX_BATCH_REQUESTS) {
    throw bad(`The batch holds ${requests.length} requests; the limit is ${MAX_BATCH_REQUESTS}.`);
  }
  const seen = new Set<string>();
  return requests.map((r: unknown, i) => {
    const { id, method, url, dependsOn } = (r ?? {}) as Record<string, unknown>;
    if (typeof id !== "string" || id === "" || typeof method !== "string" || typeof url !== "string") {
      throw bad(`Invalid batch payload format: request ${i} needs string 'id', 'method' and 'url'.`);
    }
    if (dependsOn !== undefined) throw bad("The simulator does not support 'dependsOn' in a batch.");
    const key = id.toLowerCase();
    if (seen.has(key)) throw bad(`Batch request ids must be unique; '${id}' appears twice.`);
    seen.add(key);
    return { id, method: method.toUpperCase(), url };
  });
}
