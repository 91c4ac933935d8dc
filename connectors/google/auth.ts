import { sign } from "node:crypto";
import { backoffMs, sendRequest, sleep } from "../http/index.js";
import { SCOPES } from "./config.js";
import { type ErrorFacts, tokenError, transportError } from "./errors.js";
import type { ServiceAccountKey } from "./key.js";

/** How long an assertion is valid; Google accepts at most one hour. */
const ASSERTION_SECONDS = 3600;
const GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";

const b64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

/**
 * The RS256-signed JWT bearer assertion of a service account acting as `subject`
 * (RFC 7523; Google's "OAuth 2.0 for server to server applications").
 * @example signAssertion(key, { scopes, subject, audience: tokenUrl, nowSec: 1_700_000_000 })
 */
export function signAssertion(
  key: ServiceAccountKey,
  claims: { scopes: string[]; subject: string; audience: string; nowSec: number },
): string {
  const header = { alg: "RS256", typ: "JWT", ...(key.keyId ? { kid: key.keyId } : {}) };
  const payload = {
    iss: key.clientEmail,
    scope: claims.scopes.join(" "),
    aud: claims.audience,
    iat: claims.nowSec,
    exp: claims.nowSec + ASSERTION_SECONDS,
    sub: claims.subject,
  };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${b64url(sign("sha256", Buffer.from(input), key.privateKey))}`;
}

export interface TokenSourceOptions {
  facts: ErrorFacts;
  key: ServiceAccountKey;
  fetch: typeof fetch;
  now: () => Date;
  timeoutMs: number;
  retries: number;
  signal?: AbortSignal;
}

/** Hands out access tokens; `get(true)` forces a new one (after a 401 mid-pull). */
export interface TokenSource {
  get(force?: boolean): Promise<string>;
}

type Exchange = { token: string; expiresInSec: number } | { status: number; body: unknown };

/**
 * Exchanges signed assertions for access tokens at the configured token endpoint, keeping one
 * until shortly before it expires (so long pulls renew it on the way), one request at a time.
 * Transient failures (5xx, 429, network) are retried; a refusal is translated, and when it says
 * the delegation lacks a scope, each scope is asked for alone to name the missing ones.
 */
export function createTokenSource(opts: TokenSourceOptions): TokenSource {
  const nowMs = () => opts.now().getTime();
  let cached: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;
  const acquire = async (): Promise<string> => {
    const got = await exchange(opts, SCOPES);
    if ("status" in got) {
      const code = (got.body as { error?: unknown } | undefined)?.error;
      const missing = code === "unauthorized_client" ? await missingScopes(opts) : undefined;
      throw tokenError(opts.facts, got.status, got.body, missing);
    }
    const lifetime = got.expiresInSec * 1000;
    cached = { token: got.token, renewAt: nowMs() + lifetime - Math.min(300_000, lifetime / 2) };
    return got.token;
  };
  return {
    get(force = false) {
      if (!force && cached && nowMs() < cached.renewAt) return Promise.resolve(cached.token);
      if (pending) return pending;
      const next = acquire().finally(() => {
        if (pending === next) pending = undefined;
      });
      pending = next;
      return next;
    },
  };
}

/** The scopes that, asked for alone, the token endpoint refuses. */
async function missingScopes(opts: TokenSourceOptions): Promise<string[] | undefined> {
  const missing: string[] = [];
  for (const scope of SCOPES) {
    try {
      const got = await exchange(opts, [scope]);
      if ("status" in got) missing.push(scope);
    } catch {
      return undefined;
    }
  }
  return missing.length > 0 && missing.length < SCOPES.length ? missing : undefined;
}

/** One token request, retried while the endpoint is unreachable or overloaded. */
async function exchange(opts: TokenSourceOptions, scopes: string[]): Promise<Exchange> {
  const url = opts.facts.tokenUrl;
  for (let attempt = 0; ; attempt++) {
    const assertion = signAssertion(opts.key, {
      scopes,
      subject: opts.facts.subject,
      audience: url,
      nowSec: Math.floor(opts.now().getTime() / 1000),
    });
    const body = new URLSearchParams({ grant_type: GRANT_TYPE, assertion }).toString();
    const res = await sendRequest(
      opts.fetch,
      url,
      { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body },
      { timeoutMs: opts.timeoutMs, ...(opts.signal ? { signal: opts.signal } : {}) },
    );
    let parsed: unknown;
    let failure: unknown;
    if ("error" in res) failure = res.error;
    else {
      try {
        parsed = JSON.parse(res.text);
      } catch (err) {
        failure = new Error(`the token endpoint answered ${res.status} with a body that is not JSON`, {
          cause: err,
        });
      }
    }
    const transient = failure !== undefined || ("status" in res && (res.status === 429 || res.status >= 500));
    if (!transient && "status" in res) {
      const p = parsed as { access_token?: unknown; expires_in?: unknown };
      if (res.status === 200 && typeof p.access_token === "string") {
        return {
          token: p.access_token,
          expiresInSec: typeof p.expires_in === "number" ? p.expires_in : 3600,
        };
      }
      return { status: res.status, body: parsed };
    }
    if (attempt >= opts.retries) {
      if (failure !== undefined) throw transportError(opts.facts.source, url, failure);
      return { status: (res as { status: number }).status, body: parsed };
    }
    await sleep(backoffMs(attempt), opts.signal);
  }
}
