import { isOverstapError } from "../../src/errors.js";
import type { DirectoryClient, Json } from "./client.js";

/** One chain of pages: a list call and its parameters, without the page token. */
export interface Chain {
  path: string;
  query: Record<string, string>;
  /** The array property that holds the page's items (`users`, `groups`, `members`). */
  items: string;
  /** The call, for messages. */
  what: string;
  /** Its pages go before fan-out requests (a chain everything else waits for). */
  priority: boolean;
}

/** One page of a chain, and the token of the page after it. */
export interface Page {
  items: Json[];
  next?: string;
  /** The chain was started again from its first page (its page token died). */
  restarted: boolean;
}

/**
 * True when a request that carried a page token failed in a way that means the token is dead:
 * Google ends a chain after 60 minutes with 503 `backendError`, and refuses a token it no
 * longer knows with 400 (or 404/410).
 */
export function isDeadToken(err: unknown): boolean {
  if (!isOverstapError(err)) return false;
  const status = err.details.status;
  return status === 503 || status === 400 || status === 404 || status === 410;
}

/**
 * The pages of a chain from `token` (the first page when absent), each asked for as soon as
 * the one before it arrives, so the next page travels while the consumer works. A dead page
 * token starts the chain again from its first page, at most `restarts` times; the restarted
 * page says so, so the consumer can tell.
 */
export async function* pagesOf(
  client: DirectoryClient,
  chain: Chain,
  token: string | undefined,
  restarts: number,
): AsyncGenerator<Page> {
  let left = restarts;
  let restarted = false;
  const fetchPage = (t: string | undefined) => {
    const query = t === undefined ? chain.query : { ...chain.query, pageToken: t };
    const pending = client.get(chain.path, query, chain.what, { priority: chain.priority });
    pending.catch(() => undefined);
    return { token: t, pending };
  };
  let current = fetchPage(token);
  for (;;) {
    let body: Json;
    try {
      body = await current.pending;
    } catch (err) {
      if (current.token === undefined || left <= 0 || !isDeadToken(err)) throw err;
      left--;
      restarted = true;
      current = fetchPage(undefined);
      continue;
    }
    const next =
      typeof body.nextPageToken === "string" && body.nextPageToken !== "" ? body.nextPageToken : undefined;
    const items = Array.isArray(body[chain.items]) ? (body[chain.items] as Json[]) : [];
    if (next !== undefined) current = fetchPage(next);
    yield { items, ...(next === undefined ? {} : { next }), restarted };
    restarted = false;
    if (next === undefined) return;
  }
}

/** Every item of a (usually short) chain, e.g. one group's members. */
export async function allOf(client: DirectoryClient, chain: Chain, restarts: number): Promise<Json[]> {
  const out: Json[] = [];
  for await (const page of pagesOf(client, chain, undefined, restarts)) {
    if (page.restarted) out.length = 0;
    for (const item of page.items) out.push(item);
  }
  return out;
}
