import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { type AccessClaims, type SimApp, TokenService } from "./auth.js";
import { type BatchRequest, type BatchResponse, parseBatch } from "./batch.js";
import { Directory, type Json } from "./directory.js";
import { FaultInjector, type FaultSpec } from "./faults.js";
import {
  decodeToken,
  encodeToken,
  GROUP_PROPERTIES,
  indexAfter,
  ODataError,
  parseSelect,
  parseTop,
  project,
  USER_DEFAULT,
  USER_PROPERTIES,
} from "./odata.js";
import { generateTenant, TENANT_DOMAINS, TENANT_INITIAL_DOMAIN, type TenantSpec } from "./tenant.js";
import { ResourceBudget, requestCost } from "./throttle.js";
import { generateTls } from "./tls.js";

export const SIM_TENANT_ID = "8d2f4a10-5b6c-4d7e-9f80-a1b2c3d4e5f6";
export const SIM_CLIENT_ID = "3c9e1b7a-0d2f-4e6a-8b5c-7d9f1a3e5c20";
export const SIM_CLIENT_SECRET = "sim-secret-value";
export const ALL_ROLES = [
  "User.Read.All",
  "GroupMember.Read.All",
  "AdministrativeUnit.Read.All",
  "EduRoster.Read.All",
];

export interface GraphSimulatorOptions {
  /** The tenant to serve: a spec to generate, or a directory built by the test. */
  tenant: TenantSpec | Directory;
  apps?: SimApp[];
  /** Resource units per 10 s for the app + tenant pair (default 8,000: a large tenant). */
  unitsPer10s?: number;
  faults?: FaultSpec;
  /** Age after which a delta link answers 410 Gone (default 7 days). */
  deltaMaxAgeMs?: number;
  /** Objects per page of a delta round (Graph decides; `$top` is not supported there). */
  deltaPageSize?: number;
  tokenLifetimeSec?: number;
  port?: number;
}

/** A running simulator. `authorityHost` and `graphBaseUrl` go into the connector config. */
export interface GraphSimulator {
  readonly url: string;
  readonly authorityHost: string;
  readonly graphBaseUrl: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly caPem: string;
  readonly directory: Directory;
  readonly tokens: TokenService;
  readonly budget: ResourceBudget;
  readonly stats: {
    requests: number;
    /** HTTP requests to the Graph endpoints (a batch counts once). */
    graphRequests: number;
    /** Requests inside batches. */
    subRequests: number;
    units: number;
    faults: number;
    connections: number;
  };
  /** Replaces the fault spec (undefined: no faults). */
  setFaults(spec: FaultSpec | undefined): void;
  /** Changes the delta link lifetime. */
  setDeltaMaxAge(ms: number): void;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  body?: unknown;
  /** The body already serialised (collection pages are built as text, item by item). */
  json?: string;
  headers?: Record<string, string>;
}

/** The JSON text of a reply's body. */
function jsonOf(reply: Reply): string {
  return reply.json ?? JSON.stringify(reply.body);
}

/** A collection page as JSON text, from the JSON text of its items. */
function pageJson(context: string, items: string[], nextLink?: string): string {
  const next = nextLink === undefined ? "" : `,"@odata.nextLink":${JSON.stringify(nextLink)}`;
  return `{"@odata.context":${JSON.stringify(context)},"value":[${items.join(",")}]${next}}`;
}

type Handler = (q: URLSearchParams, params: string[]) => Reply;

/** Milliseconds of work on one batch before other requests get a turn. */
const BATCH_SLICE_MS = 2;

const USER_ROLES = ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"];
const MEMBER_ROLES = [
  "GroupMember.Read.All",
  "Group.Read.All",
  "Group.ReadWrite.All",
  "Directory.Read.All",
  "Directory.ReadWrite.All",
];
const AU_ROLES = ["AdministrativeUnit.Read.All", "Directory.Read.All"];
const EDU_ROLES = ["EduRoster.Read.All", "EduRoster.ReadBasic.All"];

function graphError(status: number, code: string, message: string, headers?: Record<string, string>): Reply {
  return {
    status,
    headers,
    body: {
      error: {
        code,
        message,
        innerError: { date: new Date().toISOString(), "request-id": crypto.randomUUID() },
      },
    },
  };
}

/**
 * Starts an HTTPS Graph simulator: the token endpoint of the identity platform and the
 * directory endpoints of Microsoft Graph v1.0 (users, groups, members, owners, delta,
 * administrative units, education), with `$select`, `$top`, opaque paging tokens, permission
 * checks from the token's roles, the resource-unit budget and fault injection.
 *
 * @example
 * const sim = await startGraphSimulator({ tenant: { seed: 1, users: 500 } });
 * // connector config: { authorityHost: sim.authorityHost, graphBaseUrl: sim.graphBaseUrl, tenantId: sim.tenantId }
 */
export async function startGraphSimulator(options: GraphSimulatorOptions): Promise<GraphSimulator> {
  const directory = options.tenant instanceof Directory ? options.tenant : generateTenant(options.tenant);
  // The listing order is indexed before the first request, as the service's indexes are.
  directory.sortedIds("users");
  directory.sortedIds("groups");
  const tls = generateTls();
  const apps = options.apps ?? [{ clientId: SIM_CLIENT_ID, secret: SIM_CLIENT_SECRET, roles: ALL_ROLES }];
  const tokens = new TokenService(
    SIM_TENANT_ID,
    [TENANT_INITIAL_DOMAIN, ...TENANT_DOMAINS],
    apps,
    options.tokenLifetimeSec,
  );
  const budget = new ResourceBudget(options.unitsPer10s ?? 8000);
  let faults = options.faults ? new FaultInjector(options.faults) : undefined;
  let deltaMaxAgeMs = options.deltaMaxAgeMs ?? 7 * 24 * 3600 * 1000;
  const deltaPageSize = options.deltaPageSize ?? 200;
  const stats = { requests: 0, graphRequests: 0, subRequests: 0, units: 0, faults: 0, connections: 0 };
  let base = "";

  const link = (path: string, params: Record<string, string>) => {
    const u = new URL(`${base}/v1.0/${path}`);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    return u.toString();
  };

  const pageOfIds = (
    path: string,
    q: URLSearchParams,
    ids: string[],
    item: (id: string) => Json | undefined,
  ): Reply => {
    const top = parseTop(q);
    const skip = q.get("$skiptoken");
    const after = skip === null ? undefined : decodeToken<{ after: string }>(skip).after;
    const start = indexAfter(ids, after);
    const value: string[] = [];
    let i = start;
    for (; i < ids.length && value.length < top; i++) {
      const v = item(ids[i] as string);
      if (v) value.push(JSON.stringify(v));
    }
    let next: string | undefined;
    if (i < ids.length) {
      const params = Object.fromEntries([...q.entries()].filter(([k]) => k !== "$skiptoken"));
      next = link(path, { ...params, $skiptoken: encodeToken({ after: ids[i - 1] }) });
    }
    return { status: 200, json: pageJson(`${base}/v1.0/$metadata#${path}`, value, next) };
  };

  /** A page of a list; `item` renders (as JSON text) only the items on the page. */
  const pageOfList = <T>(
    path: string,
    q: URLSearchParams,
    list: readonly T[],
    item: (x: T) => string | undefined = (x) => JSON.stringify(x),
  ): Reply => {
    const top = parseTop(q);
    const skip = q.get("$skiptoken");
    const offset = skip === null ? 0 : decodeToken<{ o: number }>(skip).o;
    const value: string[] = [];
    for (const x of list.slice(offset, offset + top)) {
      const v = item(x);
      if (v) value.push(v);
    }
    let next: string | undefined;
    if (offset + top < list.length) {
      const params = Object.fromEntries([...q.entries()].filter(([k]) => k !== "$skiptoken"));
      next = link(path, { ...params, $skiptoken: encodeToken({ o: offset + top }) });
    }
    return { status: 200, json: pageJson(`${base}/v1.0/$metadata#${path}`, value, next) };
  };

  /** A members or owners set as a list to page through, kept while the directory is unchanged. */
  const listed = new WeakMap<Set<string>, { seq: number; list: string[] }>();
  const listOf = (set: Set<string>): string[] => {
    const kept = listed.get(set);
    if (kept && kept.seq === directory.seq) return kept.list;
    const list = [...set];
    listed.set(set, { seq: directory.seq, list });
    return list;
  };

  const userItem = (id: string, select: string[] | undefined) => {
    const u = directory.users.get(id);
    return u ? project(u, select, USER_DEFAULT) : undefined;
  };
  const groupItem = (id: string, select: string[] | undefined) => {
    const g = directory.groups.get(id);
    return g ? project(g.props, select) : undefined;
  };
  /** Renders directory objects (users and groups) under the request's `$select`. */
  const directoryObjects = (q: URLSearchParams) => {
    const userSel = parseSelect(q, USER_PROPERTIES, "user");
    const groupSel = q.has("$select")
      ? (q.get("$select") as string).split(",").filter((p) => GROUP_PROPERTIES.has(p))
      : undefined;
    return (id: string): string | undefined => {
      const user = directory.users.get(id);
      if (user)
        return `{"@odata.type":"#microsoft.graph.user",${JSON.stringify(project(user, userSel, USER_DEFAULT)).slice(1)}`;
      const group = directory.groups.get(id);
      if (group)
        return `{"@odata.type":"#microsoft.graph.group",${JSON.stringify(project(group.props, groupSel)).slice(1)}`;
      return undefined;
    };
  };
  const notFound = (id: string) =>
    graphError(
      404,
      "Request_ResourceNotFound",
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    );

  type DeltaState = {
    k: "users" | "groups";
    from: number | null;
    to: number;
    after?: string;
    sel?: string[];
    iat: number;
  };

  const delta = (kind: "users" | "groups", q: URLSearchParams): Reply => {
    if (q.has("$top") || q.has("$orderby")) {
      return graphError(
        400,
        "Request_UnsupportedQuery",
        `The $top and $orderby query options are not supported on ${kind}/delta.`,
      );
    }
    const deltaToken = q.get("$deltatoken");
    const skipToken = q.get("$skiptoken");
    let state: DeltaState;
    if (deltaToken === "latest") {
      const sel =
        kind === "users"
          ? parseSelect(q, USER_PROPERTIES, "user")
          : parseSelect(q, GROUP_PROPERTIES, "group");
      const token = encodeToken({ k: kind, from: directory.seq, to: directory.seq, sel, iat: Date.now() });
      return {
        status: 200,
        body: { value: [], "@odata.deltaLink": link(`${kind}/delta`, { $deltatoken: token }) },
      };
    }
    if (deltaToken !== null || skipToken !== null) {
      state = decodeToken<DeltaState>((deltaToken ?? skipToken) as string);
      if (Date.now() - state.iat > deltaMaxAgeMs) {
        return graphError(
          410,
          "resyncRequired",
          "Resync required. Replace any local items with the server's items; the delta token has expired.",
        );
      }
      if (deltaToken !== null) state = { ...state, from: state.to, to: directory.seq, after: undefined };
    } else {
      const sel =
        kind === "users"
          ? parseSelect(q, USER_PROPERTIES, "user")
          : parseSelect(q, GROUP_PROPERTIES, "group");
      state = { k: kind, from: null, to: directory.seq, sel, iat: Date.now() };
    }
    const memberDelta = new Map<string, Map<string, { type: string; added: boolean }>>();
    let ids: string[];
    if (state.from === null) ids = directory.sortedIds(kind);
    else {
      const changed = new Set<string>();
      for (const c of directory.changesBetween(state.from, state.to)) {
        if (kind === "users" && c.kind === "user") changed.add(c.id);
        if (kind === "groups" && c.kind === "group") changed.add(c.id);
        if (kind === "groups" && c.kind === "member") {
          changed.add(c.groupId);
          const m = memberDelta.get(c.groupId) ?? new Map<string, { type: string; added: boolean }>();
          memberDelta.set(c.groupId, m);
          m.set(c.memberId, { type: c.memberType, added: c.added });
        }
      }
      ids = [...changed].sort();
    }
    const start = indexAfter(ids, state.after);
    const value: Json[] = [];
    let i = start;
    for (; i < ids.length && value.length < deltaPageSize; i++) {
      const id = ids[i] as string;
      if (kind === "users") {
        value.push(userItem(id, state.sel) ?? { id, "@removed": { reason: "changed" } });
        continue;
      }
      const g = directory.groups.get(id);
      if (!g) {
        value.push({ id, "@removed": { reason: "changed" } });
        continue;
      }
      const item: Json = project(g.props, state.sel);
      const md =
        state.from === null
          ? [...g.members].map((m) => ({ "@odata.type": `#microsoft.graph.${directory.typeOf(m)}`, id: m }))
          : [...(memberDelta.get(id) ?? [])].map(([m, d]) => ({
              "@odata.type": `#microsoft.graph.${d.type}`,
              id: m,
              ...(d.added ? {} : { "@removed": { reason: "deleted" } }),
            }));
      if (md.length > 0) item["members@delta"] = md;
      value.push(item);
    }
    if (i < ids.length) {
      return {
        status: 200,
        body: {
          value,
          "@odata.nextLink": link(`${kind}/delta`, {
            $skiptoken: encodeToken({ ...state, after: ids[i - 1] }),
          }),
        },
      };
    }
    const next = encodeToken({ k: kind, from: state.to, to: state.to, sel: state.sel, iat: Date.now() });
    return { status: 200, body: { value, "@odata.deltaLink": link(`${kind}/delta`, { $deltatoken: next }) } };
  };

  const routes: Array<[RegExp, string[], Handler]> = [
    [
      /^users$/,
      USER_ROLES,
      (q) => {
        const sel = parseSelect(q, USER_PROPERTIES, "user");
        return pageOfIds("users", q, directory.sortedIds("users"), (id) => userItem(id, sel));
      },
    ],
    [/^users\/delta$/, USER_ROLES, (q) => delta("users", q)],
    [
      /^users\/([^/]+)$/,
      USER_ROLES,
      (q, [id]) => {
        const item = userItem(id as string, parseSelect(q, USER_PROPERTIES, "user"));
        return item ? { status: 200, body: item } : notFound(id as string);
      },
    ],
    [
      /^users\/([^/]+)\/memberOf$/,
      MEMBER_ROLES,
      (q, [id]) => {
        if (!directory.users.has(id as string)) return notFound(id as string);
        const list = [...directory.groups.values()]
          .filter((g) => g.members.has(id as string))
          .map((g) => g.id);
        return pageOfList(`users/${id}/memberOf`, q, list, directoryObjects(q));
      },
    ],
    [
      /^groups$/,
      MEMBER_ROLES,
      (q) => {
        const sel = parseSelect(q, GROUP_PROPERTIES, "group");
        return pageOfIds("groups", q, directory.sortedIds("groups"), (id) => groupItem(id, sel));
      },
    ],
    [/^groups\/delta$/, MEMBER_ROLES, (q) => delta("groups", q)],
    [
      /^groups\/([^/]+)$/,
      MEMBER_ROLES,
      (q, [id]) => {
        const item = groupItem(id as string, parseSelect(q, GROUP_PROPERTIES, "group"));
        return item ? { status: 200, body: item } : notFound(id as string);
      },
    ],
    [
      /^groups\/([^/]+)\/(members|owners)$/,
      MEMBER_ROLES,
      (q, [id, rel]) => {
        const g = directory.groups.get(id as string);
        if (!g) return notFound(id as string);
        const list = listOf(rel === "members" ? g.members : g.owners);
        return pageOfList(`groups/${id}/${rel}`, q, list, directoryObjects(q));
      },
    ],
    [
      /^directory\/administrativeUnits$/,
      AU_ROLES,
      (q) =>
        pageOfList(
          "directory/administrativeUnits",
          q,
          [...directory.administrativeUnits.values()].map((a) => ({ id: a.id, displayName: a.displayName })),
        ),
    ],
    [
      /^directory\/administrativeUnits\/([^/]+)\/members$/,
      AU_ROLES,
      (q, [id]) => {
        const au = directory.administrativeUnits.get(id as string);
        if (!au) return notFound(id as string);
        return pageOfList(
          `directory/administrativeUnits/${id}/members`,
          q,
          [...au.members],
          directoryObjects(q),
        );
      },
    ],
    [
      /^education\/schools$/,
      EDU_ROLES,
      (q) => pageOfList("education/schools", q, [...directory.schools.values()]),
    ],
    [
      /^education\/schools\/([^/]+)\/users$/,
      EDU_ROLES,
      (q, [id]) => {
        if (!directory.schools.has(id as string)) return notFound(id as string);
        return pageOfList(
          `education/schools/${id}/users`,
          q,
          [...directory.educationUsers.values()]
            .filter((u) => u.schoolIds.includes(id as string))
            .map((u) => u.props),
        );
      },
    ],
    [
      /^education\/users$/,
      EDU_ROLES,
      (q) =>
        pageOfList(
          "education/users",
          q,
          [...directory.educationUsers.values()].map((u) => u.props),
        ),
    ],
    [
      /^education\/classes$/,
      EDU_ROLES,
      (q) =>
        pageOfList(
          "education/classes",
          q,
          [...directory.classes.values()].map((c) => c.props),
        ),
    ],
    [
      /^education\/classes\/([^/]+)\/members$/,
      EDU_ROLES,
      (q, [id]) => {
        const c = directory.classes.get(id as string);
        if (!c) return notFound(id as string);
        return pageOfList(
          `education/classes/${id}/members`,
          q,
          [...c.members].map((m) => directory.educationUsers.get(m)?.props).filter((x): x is Json => !!x),
        );
      },
    ],
    [
      /^education\/classes\/([^/]+)\/schools$/,
      EDU_ROLES,
      (q, [id]) => {
        const c = directory.classes.get(id as string);
        if (!c) return notFound(id as string);
        return pageOfList(`education/classes/${id}/schools`, q, [directory.schools.get(c.schoolId) as Json]);
      },
    ],
  ];

  const authorize = (req: IncomingMessage): AccessClaims | Reply => {
    const claims = tokens.check(req.headers.authorization);
    if (claims === "missing" || claims === "invalid") {
      return graphError(
        401,
        "InvalidAuthenticationToken",
        claims === "missing"
          ? "Access token is empty."
          : "Access token validation failure. Invalid audience.",
      );
    }
    if (claims === "expired") {
      return graphError(
        401,
        "InvalidAuthenticationToken",
        "Lifetime validation failed, the token is expired.",
      );
    }
    return claims;
  };

  /** One GET, alone or inside a batch: route, permission, resource units, handler. */
  const serve = (claims: AccessClaims, path: string, query: URLSearchParams): Reply => {
    for (const [re, roles, handler] of routes) {
      const m = re.exec(path);
      if (!m) continue;
      if (!claims.roles.some((r) => roles.includes(r))) {
        return graphError(
          403,
          "Authorization_RequestDenied",
          "Insufficient privileges to complete the operation.",
        );
      }
      const cost = requestCost(path, query);
      const wait = budget.take(cost);
      if (wait > 0) {
        return graphError(429, "TooManyRequests", "Too many requests, please retry later.", {
          "Retry-After": String(wait),
          "x-ms-throttle-information": "ResourceUnitLimitExceeded",
          "x-ms-throttle-scope": `Tenant_Application/Read/${claims.appid}/${claims.tid}`,
        });
      }
      stats.units += cost;
      let reply: Reply;
      try {
        reply = handler(query, m.slice(1).map(decodeURIComponent));
      } catch (err) {
        if (!(err instanceof ODataError)) throw err;
        reply = graphError(err.status, err.code, err.message);
      }
      reply.headers = { ...reply.headers, "x-ms-resource-unit": String(cost) };
      return reply;
    }
    return graphError(400, "BadRequest", `Resource not found for the segment '${path.split("/")[0]}'.`);
  };

  /** An injected failure of one request inside a batch (only statuses can fail there). */
  const innerFault = (): Reply | undefined => {
    const kind = faults?.next();
    if (kind === "429") {
      stats.faults++;
      return graphError(429, "TooManyRequests", "Too many requests.", {
        "Retry-After": String(faults?.spec.retryAfterSec ?? 1),
      });
    }
    if (kind === "503") {
      stats.faults++;
      return graphError(503, "serviceNotAvailable", "Service unavailable.", { "Retry-After": "1" });
    }
    if (kind === "504") {
      stats.faults++;
      return graphError(504, "UnknownError", "Gateway timeout.");
    }
    return undefined;
  };

  /**
   * `POST /$batch`: each request is authorised, charged against the resource-unit budget and
   * answered on its own (a 429 inside carries its own Retry-After); the batch costs nothing
   * itself. The responses come back in reverse order, as Graph may reorder them. Other requests
   * are served between the requests of a batch (after every {@link BATCH_SLICE_MS} of work), as
   * a service that serves many at once would, rather than waiting for the whole batch.
   */
  const batch = async (claims: AccessClaims, text: string): Promise<Reply> => {
    let requests: BatchRequest[];
    try {
      requests = parseBatch(text);
    } catch (err) {
      if (!(err instanceof ODataError)) throw err;
      return graphError(err.status, err.code, err.message);
    }
    const root = `${base}/v1.0/`;
    const responses: string[] = [];
    let slice = performance.now();
    for (const r of requests) {
      if (performance.now() - slice > BATCH_SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        slice = performance.now();
      }
      stats.subRequests++;
      let reply = innerFault();
      if (!reply) {
        const u = new URL(r.url.replace(/^\/+/, ""), root);
        if (r.method !== "GET") {
          reply = graphError(405, "Request_BadRequest", "The simulator serves GET only.");
        } else if (!u.href.startsWith(root)) {
          reply = graphError(400, "BadRequest", `Invalid request URL '${r.url}' in the batch.`);
        } else reply = serve(claims, u.pathname.slice(6), u.searchParams);
      }
      const head: Omit<BatchResponse, "body"> = {
        id: r.id,
        status: reply.status,
        headers: { "Content-Type": "application/json", ...reply.headers },
      };
      responses.push(`${JSON.stringify(head).slice(0, -1)},"body":${jsonOf(reply)}}`);
    }
    return { status: 200, json: `{"responses":[${responses.reverse().join(",")}]}` };
  };

  const login = async (req: IncomingMessage, url: URL): Promise<Reply | undefined> => {
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
    if (token && req.method === "POST") {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const endpoint = `${base}${url.pathname}`;
      const reply = tokens.token(
        token[1] as string,
        new URLSearchParams(Buffer.concat(chunks).toString()),
        endpoint,
      );
      return { status: reply.status, body: reply.body };
    }
    const meta = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(url.pathname);
    if (meta) {
      const t = meta[1] as string;
      if (t !== SIM_TENANT_ID && !tokens.domains.includes(t))
        return { status: 400, body: tokens.token(t, new URLSearchParams(), "").body };
      return { status: 200, body: openIdConfiguration(base, SIM_TENANT_ID) };
    }
    return undefined;
  };

  const send = (res: ServerResponse, reply: Reply, fault?: string) => {
    const text = jsonOf(reply);
    if (fault === "badjson" && reply.status === 200) {
      const cut = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(cut) });
      res.end(cut);
      return;
    }
    if (fault === "truncate" && reply.status === 200) {
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
      res.write(text.slice(0, Math.floor(text.length / 2)));
      setTimeout(() => res.destroy(), 5);
      return;
    }
    const bytes = Buffer.from(text);
    res.writeHead(reply.status, {
      "content-type": "application/json; odata.metadata=minimal",
      "content-length": bytes.length,
      ...reply.headers,
    });
    res.end(bytes);
  };

  const server: Server = createServer({ key: tls.keyPem, cert: tls.certPem, keepAlive: true }, (req, res) => {
    stats.requests++;
    const url = new URL(req.url ?? "/", base);
    const handle = async () => {
      const loginReply = await login(req, url);
      if (loginReply) return send(res, loginReply);
      if (!url.pathname.startsWith("/v1.0/"))
        return send(res, graphError(404, "NotFound", `No such path ${url.pathname}`));
      stats.graphRequests++;
      const fault = faults?.next();
      if (fault) stats.faults++;
      if (fault === "reset") return req.socket.destroy();
      if (fault === "timeout")
        return void setTimeout(() => req.socket.destroy(), faults?.spec.hangMs ?? 3000);
      if (fault === "429")
        return send(
          res,
          graphError(429, "TooManyRequests", "Too many requests.", {
            "Retry-After": String(faults?.spec.retryAfterSec ?? 1),
          }),
        );
      if (fault === "503")
        return send(
          res,
          graphError(503, "serviceNotAvailable", "Service unavailable.", { "Retry-After": "1" }),
        );
      if (fault === "504") return send(res, graphError(504, "UnknownError", "Gateway timeout."));
      const claims = authorize(req);
      if (!("roles" in claims)) return send(res, claims);
      if (url.pathname === "/v1.0/$batch") {
        if (req.method !== "POST")
          return send(res, graphError(405, "Request_BadRequest", "Use POST for $batch."));
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        return send(res, await batch(claims, Buffer.concat(chunks).toString()), fault);
      }
      if (req.method !== "GET")
        return send(res, graphError(405, "Request_BadRequest", "The simulator serves GET only."));
      const reply = serve(claims, url.pathname.slice(6), url.searchParams);
      send(res, reply, fault);
    };
    handle().catch((err: unknown) => {
      if (!res.headersSent) send(res, graphError(500, "InternalServerError", String(err)));
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on("secureConnection", () => {
    stats.connections++;
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  base = `https://127.0.0.1:${port}`;
  return {
    url: base,
    authorityHost: base,
    graphBaseUrl: `${base}/v1.0`,
    tenantId: SIM_TENANT_ID,
    clientId: apps[0]?.clientId ?? SIM_CLIENT_ID,
    caPem: tls.caPem,
    directory,
    tokens,
    budget,
    stats,
    setFaults(spec) {
      faults = spec ? new FaultInjector(spec) : undefined;
    },
    setDeltaMaxAge(ms) {
      deltaMaxAgeMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The OpenID Provider metadata the identity platform publishes for a tenant. */
export function openIdConfiguration(authorityHost: string, tenantId: string): Record<string, unknown> {
  const t = `${authorityHost}/${tenantId}`;
  return {
    token_endpoint: `${t}/oauth2/v2.0/token`,
    authorization_endpoint: `${t}/oauth2/v2.0/authorize`,
    end_session_endpoint: `${t}/oauth2/v2.0/logout`,
    jwks_uri: `${authorityHost}/${tenantId}/discovery/v2.0/keys`,
    issuer: `${t}/v2.0`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
  };
}
