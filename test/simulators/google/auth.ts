import { createPublicKey, generateKeyPairSync, type KeyObject, randomBytes, verify } from "node:crypto";

/**
 * Google's OAuth 2.0 token endpoint for service accounts ("Using OAuth 2.0 for server to server
 * applications"): a POST of `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer` and an
 * RS256 JWT `assertion` with `iss` (the service account), `scope` (space-separated), `aud` (the
 * token endpoint), `iat`, `exp` (at most an hour later) and `sub` (the user to act as, with
 * domain-wide delegation). Answers `{access_token, expires_in, token_type}` or RFC 6749 errors.
 */

/** A service account, its key pair, and what domain-wide delegation grants its client id. */
export interface ServiceAccount {
  clientEmail: string;
  clientId: string;
  privateKeyPem: string;
  publicKey: KeyObject;
  keyId: string;
  /** Scopes granted in Admin console → Security → API controls → Domain-wide delegation. */
  delegated: string[];
}

/** What an access token stands for. */
export interface AccessGrant {
  sub: string;
  scopes: string[];
  expiresAt: number;
}

/** Creates a service account with a fresh RSA key. */
export function createServiceAccount(name: string, delegated: string[]): ServiceAccount {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    clientEmail: `${name}@overstap-sim.iam.gserviceaccount.com`,
    clientId: String(100000000000000000000n + BigInt(randomBytes(6).readUIntBE(0, 6))),
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKey: createPublicKey(publicKey.export({ type: "spki", format: "pem" })),
    keyId: randomBytes(20).toString("hex"),
    delegated,
  };
}

/** The JSON key file of a service account, as the Cloud console downloads it. */
export function keyFileOf(sa: ServiceAccount, tokenUri: string): string {
  return JSON.stringify({
    type: "service_account",
    project_id: "overstap-sim",
    private_key_id: sa.keyId,
    private_key: sa.privateKeyPem,
    client_email: sa.clientEmail,
    client_id: sa.clientId,
    auth_uri: "https://accounts.google.com/o/oauth2/auth",
    token_uri: tokenUri,
  });
}

/** An answer of the token endpoint. */
export interface TokenReply {
  status: number;
  body: Record<string, unknown>;
}

const fail = (status: number, error: string, description: string): TokenReply => ({
  status,
  body: { error, error_description: description },
});

function decodePart(part: string | undefined): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(Buffer.from(part ?? "", "base64url").toString("utf8")) as unknown;
    return typeof v === "object" && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Issues and checks access tokens for the service accounts of one account. */
export class TokenService {
  readonly #grants = new Map<string, AccessGrant>();
  tokensIssued = 0;

  constructor(
    readonly accounts: ServiceAccount[],
    /** Users the tokens may act as (the account's users). */
    readonly knownUser: (email: string) => boolean,
    public lifetimeSec = 3599,
    readonly now: () => number = Date.now,
  ) {}

  /** Answers a token request (form body), checking the assertion as Google documents. */
  exchange(form: URLSearchParams, audience: string): TokenReply {
    if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer") {
      return fail(400, "unsupported_grant_type", `Invalid grant_type: ${form.get("grant_type") ?? ""}`);
    }
    const parts = (form.get("assertion") ?? "").split(".");
    const header = decodePart(parts[0]);
    const claims = decodePart(parts[1]);
    if (parts.length !== 3 || !header || !claims) return fail(400, "invalid_grant", "Invalid JWT: malformed");
    if (header.alg !== "RS256") return fail(400, "invalid_grant", "Invalid JWT: algorithm must be RS256");
    const sa = this.accounts.find((a) => a.clientEmail === claims.iss);
    if (!sa) return fail(400, "invalid_grant", "Invalid JWT Signature.");
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    if (!verify("sha256", signed, sa.publicKey, Buffer.from(parts[2] as string, "base64url"))) {
      return fail(400, "invalid_grant", "Invalid JWT Signature.");
    }
    if (claims.aud !== audience) return fail(400, "invalid_grant", "Invalid JWT: Failed audience check.");
    const nowSec = this.now() / 1000;
    const iat = Number(claims.iat);
    const exp = Number(claims.exp);
    if (
      !Number.isFinite(iat) ||
      !Number.isFinite(exp) ||
      exp - iat > 3600 ||
      exp < nowSec ||
      iat > nowSec + 300
    ) {
      return fail(
        400,
        "invalid_grant",
        "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.",
      );
    }
    const scopes = typeof claims.scope === "string" ? claims.scope.split(" ").filter(Boolean) : [];
    if (scopes.length === 0) return fail(400, "invalid_scope", "Empty or missing scope not allowed.");
    const sub = typeof claims.sub === "string" ? claims.sub : "";
    if (!sub)
      return fail(
        401,
        "unauthorized_client",
        "Client is unauthorized to retrieve access tokens using this method.",
      );
    if (!this.knownUser(sub)) return fail(400, "invalid_grant", "Invalid email or User ID");
    if (!scopes.every((s) => sa.delegated.includes(s))) {
      return fail(
        401,
        "unauthorized_client",
        "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.",
      );
    }
    const token = `ya29.sim-${randomBytes(24).toString("base64url")}`;
    this.#grants.set(token, { sub, scopes, expiresAt: this.now() + this.lifetimeSec * 1000 });
    this.tokensIssued++;
    return { status: 200, body: { access_token: token, expires_in: this.lifetimeSec, token_type: "Bearer" } };
  }

  /** The grant of a bearer token that is known and not expired. */
  check(authorization: string | undefined): AccessGrant | undefined {
    const m = /^Bearer (.+)$/.exec(authorization ?? "");
    const grant = m ? this.#grants.get(m[1] as string) : undefined;
    return grant && grant.expiresAt > this.now() ? grant : undefined;
  }

  /** Makes every token issued so far invalid (as a key rotation or expiry would). */
  revokeAll(): void {
    this.#grants.clear();
  }
}
