import type { AccessGrant } from "./auth.js";
import { FieldsError, parseFields, select, unknownField } from "./fields.js";
import { PageTokens } from "./page-token.js";
import {
  ApiError,
  GROUP_FIELDS,
  groupResource,
  MEMBER_FIELDS,
  memberResource,
  USER_FIELDS,
  userQuery,
  userResource,
} from "./resources.js";
import type { Json, Workspace, WsGroup, WsMember, WsUser } from "./workspace.js";

const SCOPE = "https://www.googleapis.com/auth/admin.directory.";
/** The scopes each method accepts (its reference page's "Authorization scopes"). */
const METHOD_SCOPES: Record<string, string[]> = {
  users: ["user.readonly", "user"],
  groups: ["group.readonly", "group"],
  members: ["group.member.readonly", "group.member", "group.readonly", "group"],
};

/** A reply of the API: status and the JSON text of the body. */
export interface ApiReply {
  status: number;
  body: Json;
}

/** The first index in sorted `ids` after `after` (0 without it). */
function indexAfter(ids: string[], after: string | undefined): number {
  if (after === undefined) return 0;
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((ids[mid] as string) <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function maxResults(q: URLSearchParams, def: number, max: number): number {
  const raw = q.get("maxResults");
  if (raw === null) return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new ApiError(400, "invalid", "Invalid Input: maxResults");
  return n;
}

/**
 * The Directory API's read methods over a {@link Workspace}: `users.list`, `users.get`,
 * `groups.list` and `members.list` with `customer`/`domain`, `maxResults`, `pageToken`,
 * `projection` + `customFieldMask`, `query` and `fields` partial responses, after the caller's
 * token, admin status and scopes are checked.
 */
export class DirectoryApi {
  constructor(
    readonly ws: Workspace,
    readonly tokens: PageTokens,
  ) {}

  /** Answers one GET on a path relative to `/admin/directory/v1/`. */
  handle(path: string, q: URLSearchParams, grant: AccessGrant): ApiReply {
    try {
      const parts = path.split("/").map(decodeURIComponent);
      const method =
        parts[0] === "users" && parts.length === 1
          ? "users"
          : parts[0] === "users" && parts.length === 2
            ? "users"
            : parts[0] === "groups" && parts.length === 1
              ? "groups"
              : parts[0] === "groups" && parts[2] === "members" && parts.length === 3
                ? "members"
                : undefined;
      if (!method) throw new ApiError(404, "notFound", "Not Found");
      this.#authorize(grant, method);
      const body =
        method === "users" && parts.length === 2
          ? this.#getUser(parts[1] as string, q)
          : method === "users"
            ? this.#listUsers(q, path)
            : method === "groups"
              ? this.#listGroups(q, path)
              : this.#listMembers(parts[1] as string, q, path);
      return { status: 200, body: this.#fields(body, q, method) };
    } catch (err) {
      if (err instanceof ApiError) return { status: err.status, body: err.body() };
      if (err instanceof FieldsError)
        return { status: 400, body: new ApiError(400, "invalidParameter", err.message).body() };
      throw err;
    }
  }

  #authorize(grant: AccessGrant, method: string): void {
    const accepted = (METHOD_SCOPES[method] ?? []).map((s) => SCOPE + s);
    if (!grant.scopes.some((s) => accepted.includes(s))) {
      throw new ApiError(403, "insufficientPermissions", "Request had insufficient authentication scopes.");
    }
    const admin = this.ws.userByKey(grant.sub);
    if (!admin?.isAdmin) throw new ApiError(403, "forbidden", "Not Authorized to access this resource/api");
  }

  /** The domain a list is restricted to (undefined: the whole customer). */
  #owner(q: URLSearchParams): string | undefined {
    const customer = q.get("customer");
    const domain = q.get("domain");
    if (domain) {
      if (!this.ws.ownsDomain(domain))
        throw new ApiError(403, "forbidden", "Not Authorized to access this resource/api");
      return domain.toLowerCase();
    }
    if (!customer) throw new ApiError(400, "badRequest", "Bad Request");
    if (customer !== "my_customer" && customer !== this.ws.customerId)
      throw new ApiError(400, "badRequest", "Bad Request");
    return undefined;
  }

  /** One page of ids from the sorted `ids`, keeping those `keep` accepts. */
  #page(
    path: string,
    q: URLSearchParams,
    ids: string[],
    size: number,
    matches: (id: string) => boolean,
    render: (id: string) => Json,
  ): { items: Json[]; next?: string } {
    const digest = PageTokens.digest(q, path);
    const token = q.get("pageToken");
    let after: string | undefined;
    let started = this.tokens.now();
    if (token) {
      const read = this.tokens.read(token, digest);
      if (read === "invalid") throw new ApiError(400, "invalid", "Invalid Input: pageToken");
      if (read === "expired")
        throw new ApiError(503, "backendError", "Service unavailable. Please try again");
      after = read.after;
      started = read.started;
    }
    const items: Json[] = [];
    let i = indexAfter(ids, after);
    for (; i < ids.length && items.length < size; i++) {
      if (matches(ids[i] as string)) items.push(render(ids[i] as string));
    }
    let more = false;
    for (let j = i; j < ids.length && !more; j++) more = matches(ids[j] as string);
    return more ? { items, next: this.tokens.issue(ids[i - 1] as string, digest, started) } : { items };
  }

  #listUsers(q: URLSearchParams, path: string): Json {
    const domain = this.#owner(q);
    const projection = q.get("projection") ?? "basic";
    if (!["basic", "custom", "full"].includes(projection))
      throw new ApiError(400, "invalid", "Invalid Input: projection");
    const mask = (q.get("customFieldMask") ?? "").split(",").filter(Boolean);
    if (projection === "custom" && mask.length === 0)
      throw new ApiError(400, "invalid", "Invalid Input: customFieldMask");
    const test = userQuery(q.get("query"));
    const size = maxResults(q, 100, 500);
    const page = this.#page(
      path,
      q,
      this.ws.sortedIds("users"),
      size,
      (id) => {
        const u = this.ws.users.get(id);
        return u !== undefined && (!domain || u.primaryEmail.endsWith(`@${domain}`)) && test(u);
      },
      (id) => userResource(this.ws.users.get(id) as WsUser, projection, mask),
    );
    return {
      kind: "admin#directory#users",
      etag: '"sim"',
      users: page.items,
      ...(page.next ? { nextPageToken: page.next } : {}),
    };
  }

  #getUser(key: string, q: URLSearchParams): Json {
    const u = this.ws.userByKey(key);
    if (!u) throw new ApiError(404, "notFound", "Resource Not Found: userKey");
    return userResource(u, q.get("projection") ?? "basic", (q.get("customFieldMask") ?? "").split(","));
  }

  #listGroups(q: URLSearchParams, path: string): Json {
    const domain = this.#owner(q);
    const size = maxResults(q, 200, 200);
    const page = this.#page(
      path,
      q,
      this.ws.sortedIds("groups"),
      size,
      (id) => {
        const g = this.ws.groups.get(id);
        return g !== undefined && (!domain || g.email.endsWith(`@${domain}`));
      },
      (id) => groupResource(this.ws.groups.get(id) as WsGroup),
    );
    return {
      kind: "admin#directory#groups",
      etag: '"sim"',
      groups: page.items,
      ...(page.next ? { nextPageToken: page.next } : {}),
    };
  }

  #group(key: string): WsGroup {
    const k = key.toLowerCase();
    const g =
      this.ws.groups.get(key) ??
      [...this.ws.groups.values()].find((x) => x.email === k || x.aliases?.includes(k));
    if (!g) throw new ApiError(404, "notFound", "Resource Not Found: groupKey");
    return g;
  }

  #listMembers(key: string, q: URLSearchParams, path: string): Json {
    const g = this.#group(key);
    const size = maxResults(q, 200, 200);
    const roles = q.get("roles")?.split(",");
    const keys = [...g.members.keys()].sort();
    const page = this.#page(
      path,
      q,
      keys,
      size,
      (k) => {
        const m = g.members.get(k);
        return m !== undefined && (!roles || roles.includes(m.role));
      },
      (k) => memberResource(g.members.get(k) as WsMember),
    );
    return {
      kind: "admin#directory#members",
      etag: '"sim"',
      members: page.items,
      ...(page.next ? { nextPageToken: page.next } : {}),
    };
  }

  #fields(body: Json, q: URLSearchParams, method: string): Json {
    const text = q.get("fields");
    if (!text) return body;
    const sel = parseFields(text);
    const known = { users: USER_FIELDS, groups: GROUP_FIELDS, members: MEMBER_FIELDS };
    const listKey = method === "users" && !("users" in body) ? undefined : method;
    const bad = listKey
      ? unknownField(sel, { [listKey]: known[listKey as keyof typeof known] }, [
          "kind",
          "etag",
          "nextPageToken",
        ])
      : unknownField(sel, {}, USER_FIELDS);
    if (bad) throw new FieldsError(`Invalid field selection ${bad}`);
    return select(body, sel) as Json;
  }
}
