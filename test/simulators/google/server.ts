import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { generateTls } from "../graph/tls.js";
import { createServiceAccount, keyFileOf, type ServiceAccount, TokenService } from "./auth.js";
import { DirectoryApi } from "./directory-api.js";
import { FaultInjector, type FaultKind, type FaultSpec } from "./faults.js";
import { mutate } from "./mutate.js";
import { PageTokens } from "./page-token.js";
import { QueryQuota } from "./quota.js";
import { ApiError } from "./resources.js";
import { generateTenant, SIM_ADMIN, type TenantSpec } from "./tenant.js";
import type { Change, Workspace } from "./workspace.js";

/** The read-only scopes a school delegates to the service account. */
export const READ_SCOPES = ["user.readonly", "group.readonly", "group.member.readonly"].map(
  (s) => `https://www.googleapis.com/auth/admin.directory.${s}`,
);

export interface GoogleSimulatorOptions {
  /** The account to serve: a spec to generate, or a workspace built by the test. */
  tenant: TenantSpec | Workspace;
  /** Scopes domain-wide delegation grants the service account (default: the read-only ones). */
  delegated?: string[];
  /** Queries per window per user (default 2,400 per 60 s) and concurrent requests; `status` of a refusal. */
  quota?: { queries?: number; windowMs?: number; maxConcurrent?: number; daily?: number; status?: 403 | 429 };
  faults?: FaultSpec;
  /** Age after which a chain of page tokens dies with 503 backendError (default 60 min). */
  pageTokenTtlMs?: number;
  tokenLifetimeSec?: number;
  port?: number;
}

/** A running simulator. */
export interface GoogleSimulator {
  readonly url: string;
  readonly tokenUrl: string;
  readonly baseUrl: string;
  readonly caPem: string;
  readonly workspace: Workspace;
  readonly serviceAccount: ServiceAccount;
  /** The service account's JSON key file text. */
  readonly keyFile: string;
  readonly admin: string;
  readonly tokens: TokenService;
  readonly quota: QueryQuota;
  readonly pageTokens: PageTokens;
  readonly stats: { requests: number; apiRequests: number; tokenRequests: number; faults: number };
  setFaults(spec: FaultSpec | undefined): void;
  /** Makes `count` random changes (see {@link mutate}). */
  mutate(count: number, seed: number): Change[];
  close(): Promise<void>;
}

const API_ROOT = "/admin/directory/v1/";

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=UTF-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Applies an injected fault; true when the request is done with. */
function injectFault(kind: FaultKind, spec: FaultSpec, req: IncomingMessage, res: ServerResponse): boolean {
  if (kind === "429") {
    const headers = spec.retryAfterSec ? { "retry-after": String(spec.retryAfterSec) } : undefined;
    send(
      res,
      429,
      new ApiError(429, "rateLimitExceeded", "Rate Limit Exceeded", "RESOURCE_EXHAUSTED").body(),
      headers,
    );
  } else if (kind === "503")
    send(res, 503, new ApiError(503, "backendError", "Service unavailable. Please try again").body());
  else if (kind === "reset") req.socket.destroy();
  else if (kind === "timeout") setTimeout(() => req.socket.destroy(), spec.hangMs ?? 2000);
  else return false;
  return true;
}

/** Sends half of a body that claims its full length, then drops the connection. */
function sendTruncated(res: ServerResponse, status: number, body: unknown): void {
  const buf = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { "content-type": "application/json; charset=UTF-8", "content-length": buf.length });
  res.write(buf.subarray(0, Math.floor(buf.length / 2)), () => res.destroy());
}

/**
 * Starts an HTTPS simulator of Google's OAuth 2.0 token endpoint (`POST /token`, service
 * accounts with domain-wide delegation) and the Admin SDK Directory API
 * (`/admin/directory/v1/users`, `groups`, `groups/{key}/members`), written from Google's
 * public documentation, with the per-user query quota, opaque page tokens that die after an
 * hour, partial responses, injected faults and a mutation mode.
 * @example const sim = await startGoogleSimulator({ tenant: { seed: 1, users: 500 } });
 */
export async function startGoogleSimulator(options: GoogleSimulatorOptions): Promise<GoogleSimulator> {
  const ws = "seed" in options.tenant ? generateTenant(options.tenant) : options.tenant;
  ws.sortedIds("users");
  ws.sortedIds("groups");
  const tls = generateTls();
  const sa = createServiceAccount("overstap", options.delegated ?? READ_SCOPES);
  const tokens = new TokenService([sa], (e) => ws.userByKey(e) !== undefined, options.tokenLifetimeSec);
  const q = options.quota ?? {};
  const quota = new QueryQuota(q.queries ?? 2400, q.windowMs ?? 60_000, q.maxConcurrent ?? 100, q.daily);
  const pageTokens = new PageTokens(options.pageTokenTtlMs);
  const api = new DirectoryApi(ws, pageTokens);
  let faults = options.faults ? new FaultInjector(options.faults) : undefined;
  const stats = { requests: 0, apiRequests: 0, tokenRequests: 0, faults: 0 };
  let url = "";

  const directory = (req: IncomingMessage, res: ServerResponse, u: URL) => {
    stats.apiRequests++;
    const fault = faults?.next();
    if (fault && faults) {
      stats.faults++;
      if (injectFault(fault, faults.spec, req, res)) return;
    }
    const grant = tokens.check(req.headers.authorization);
    if (!grant) {
      return send(
        res,
        401,
        new ApiError(
          401,
          "authError",
          "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
        ).body(),
      );
    }
    const refused = quota.take(grant.sub);
    if (refused) {
      const status = q.status === 429 && refused === "userRateLimitExceeded" ? 429 : 403;
      const reason = status === 429 ? "rateLimitExceeded" : refused;
      return send(
        res,
        status,
        new ApiError(
          status,
          reason,
          "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user'",
          "RESOURCE_EXHAUSTED",
        ).body(),
      );
    }
    try {
      const reply = api.handle(u.pathname.slice(API_ROOT.length), u.searchParams, grant);
      if (fault === "truncate") sendTruncated(res, reply.status, reply.body);
      else send(res, reply.status, reply.body);
    } finally {
      quota.done();
    }
  };

  const server: Server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
    stats.requests++;
    const u = new URL(req.url ?? "/", url);
    if (req.method === "POST" && u.pathname === "/token") {
      stats.tokenRequests++;
      void readBody(req).then((text) => {
        const reply = tokens.exchange(new URLSearchParams(text), `${url}/token`);
        send(res, reply.status, reply.body);
      });
      return;
    }
    if (req.method === "GET" && u.pathname.startsWith(API_ROOT)) return directory(req, res, u);
    send(res, 404, new ApiError(404, "notFound", "Not Found").body());
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  url = `https://localhost:${(server.address() as AddressInfo).port}`;
  return {
    url,
    tokenUrl: `${url}/token`,
    baseUrl: `${url}/admin/directory/v1`,
    caPem: tls.caPem,
    workspace: ws,
    serviceAccount: sa,
    keyFile: keyFileOf(sa, `${url}/token`),
    admin: SIM_ADMIN,
    tokens,
    quota,
    pageTokens,
    stats,
    setFaults(spec) {
      faults = spec ? new FaultInjector(spec) : undefined;
    },
    mutate: (count, seed) => mutate(ws, count, seed),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
