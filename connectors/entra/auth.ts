import { ConfidentialClientApplication, type Configuration, LogLevel } from "@azure/msal-node";
import { tokenError } from "./errors.js";

/** An app-only credential: a client secret, or a certificate's private key and thumbprint. */
export type Credential =
  | { secret: string }
  | { certificate: { privateKey: string; thumbprintSha256?: string; thumbprint?: string; x5c?: string } };

export interface TokenSourceOptions {
  source: string;
  tenantId: string;
  clientId: string;
  authorityHost: string;
  /** The Graph resource, e.g. https://graph.microsoft.com; the scope is `<resource>/.default`. */
  resource: string;
  credential: Credential;
  fetch: typeof fetch;
  /** The clock tokens expire by; the system clock when absent. */
  now?: () => Date;
  timeoutMs: number;
}

/** Hands out access tokens; `get(true)` forces a new one (after a 401 mid-pull). */
export interface TokenSource {
  get(force?: boolean): Promise<string>;
}

interface NetworkResponse<T> {
  headers: Record<string, string>;
  body: T;
  status: number;
}

/**
 * An MSAL confidential client (client credentials) whose every HTTP call goes through the
 * given fetch, with the tenant's metadata built from `authorityHost`, so MSAL asks nothing of
 * Microsoft's discovery endpoints and works against any compatible authority.
 */
export function createTokenSource(opts: TokenSourceOptions): TokenSource {
  const now = () => (opts.now ? opts.now().getTime() : Date.now());
  let transport: unknown;
  const call = async <T>(url: string, init: RequestInit): Promise<NetworkResponse<T>> => {
    transport = undefined;
    let res: Response;
    try {
      res = await opts.fetch(url, { ...init, signal: AbortSignal.timeout(opts.timeoutMs) });
    } catch (err) {
      transport = err;
      throw err;
    }
    const text = await res.text();
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      headers[k.toLowerCase()] = v;
    });
    let body: T;
    try {
      body = JSON.parse(text) as T;
    } catch (err) {
      transport = new Error(`the authority answered ${res.status} with a body that is not JSON`, {
        cause: err,
      });
      throw transport;
    }
    return { headers, body, status: res.status };
  };
  const authority = `${opts.authorityHost}/${opts.tenantId}`;
  const metadata = {
    token_endpoint: `${authority}/oauth2/v2.0/token`,
    authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
    end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
    jwks_uri: `${authority}/discovery/v2.0/keys`,
    issuer: `${authority}/v2.0`,
  };
  const config: Configuration = {
    auth: {
      clientId: opts.clientId,
      authority,
      knownAuthorities: [new URL(opts.authorityHost).host],
      authorityMetadata: JSON.stringify(metadata),
      ...("secret" in opts.credential
        ? { clientSecret: opts.credential.secret }
        : { clientCertificate: opts.credential.certificate }),
    },
    system: {
      disableInternalRetries: true,
      loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => undefined },
      networkClient: {
        sendGetRequestAsync: <T>(url: string, o?: { headers?: Record<string, string> }) =>
          call<T>(url, { method: "GET", headers: o?.headers }),
        sendPostRequestAsync: <T>(url: string, o?: { headers?: Record<string, string>; body?: string }) =>
          call<T>(url, { method: "POST", headers: o?.headers, body: o?.body }),
      },
    },
  };
  const app = new ConfidentialClientApplication(config);
  const scopes = [`${opts.resource}/.default`];
  let cached: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;
  const acquire = async (force: boolean): Promise<string> => {
    try {
      const result = await app.acquireTokenByClientCredential({ scopes, skipCache: force });
      if (!result?.accessToken) throw new Error("the authority returned no access token");
      const expires = result.expiresOn?.getTime() ?? now();
      cached = {
        token: result.accessToken,
        renewAt: expires - Math.min(300_000, (expires - now()) / 2),
      };
      return result.accessToken;
    } catch (err) {
      throw tokenError(opts.source, opts, err, transport);
    }
  };
  return {
    get(force = false) {
      if (!force && cached && now() < cached.renewAt) return Promise.resolve(cached.token);
      if (!force && pending) return pending;
      const next = acquire(force).finally(() => {
        if (pending === next) pending = undefined;
      });
      pending = next;
      return next;
    },
  };
}
