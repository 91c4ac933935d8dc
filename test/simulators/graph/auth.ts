import { constants, createHmac, createPublicKey, randomBytes, verify as verifySignature } from "node:crypto";

/** An app registration: its credentials and the application permissions granted to it. */
export interface SimApp {
  clientId: string;
  secret?: string;
  /** The secret exists but has expired (AADSTS7000222). */
  secretExpired?: boolean;
  /** PEM certificate whose key may sign client assertions. */
  certPem?: string;
  roles: string[];
}

export interface AccessClaims {
  tid: string;
  appid: string;
  roles: string[];
  iat: number;
  exp: number;
}

/** The reply of the token endpoint: status and JSON body. */
export interface TokenReply {
  status: number;
  body: Record<string, unknown>;
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

function aadError(status: number, error: string, code: number, description: string): TokenReply {
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${randomBytes(8).toString("hex")} Timestamp: ${new Date().toISOString()}`,
      error_codes: [code],
      timestamp: new Date().toISOString(),
    },
  };
}

/** Issues and checks app-only access tokens for one simulated tenant. */
export class TokenService {
  readonly #key = randomBytes(32);
  readonly #apps: Map<string, SimApp>;
  tokenLifetimeSec: number;
  tokensIssued = 0;
  #notBefore = 0;

  constructor(
    readonly tenantId: string,
    readonly domains: readonly string[],
    apps: SimApp[],
    tokenLifetimeSec = 3600,
  ) {
    this.#apps = new Map(apps.map((a) => [a.clientId, a]));
    this.tokenLifetimeSec = tokenLifetimeSec;
  }

  /** Replaces or adds an app registration (e.g. to revoke a permission in a test). */
  setApp(app: SimApp): void {
    this.#apps.set(app.clientId, app);
  }

  /** Makes every token issued so far invalid (as if it had expired), to test refresh mid-pull. */
  revokeAll(): void {
    this.#notBefore = Date.now();
  }

  /** The OAuth 2.0 client credentials grant, as the Microsoft identity platform answers it. */
  token(tenant: string, form: URLSearchParams, tokenEndpoint: string): TokenReply {
    if (tenant !== this.tenantId && !this.domains.includes(tenant)) {
      return aadError(
        400,
        "invalid_request",
        90002,
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
    }
    if (form.get("grant_type") !== "client_credentials") {
      return aadError(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
    }
    const clientId = form.get("client_id") ?? "";
    const app = this.#apps.get(clientId);
    if (!app) {
      return aadError(
        400,
        "unauthorized_client",
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`,
      );
    }
    const secret = form.get("client_secret");
    const assertion = form.get("client_assertion");
    if (secret !== null) {
      if (app.secret === undefined || secret !== app.secret) {
        return aadError(
          401,
          "invalid_client",
          7000215,
          "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.",
        );
      }
      if (app.secretExpired) {
        return aadError(
          401,
          "invalid_client",
          7000222,
          `The provided client secret keys for app '${clientId}' are expired.`,
        );
      }
    } else if (assertion !== null) {
      const problem = this.#checkAssertion(app, assertion, tokenEndpoint);
      if (problem) return aadError(401, "invalid_client", 700027, problem);
    } else {
      return aadError(
        401,
        "invalid_client",
        7000216,
        "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
      );
    }
    const scope = form.get("scope") ?? "";
    if (!scope.endsWith("/.default")) {
      return aadError(
        400,
        "invalid_scope",
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.`,
      );
    }
    const claims: AccessClaims = {
      tid: this.tenantId,
      appid: clientId,
      roles: app.roles,
      iat: Date.now() / 1000,
      exp: Math.floor(Date.now() / 1000) + this.tokenLifetimeSec,
    };
    const unsigned = `${b64({ typ: "JWT", alg: "HS256" })}.${b64({ aud: "https://graph.microsoft.com", ...claims })}`;
    this.tokensIssued++;
    return {
      status: 200,
      body: {
        token_type: "Bearer",
        expires_in: this.tokenLifetimeSec,
        ext_expires_in: this.tokenLifetimeSec,
        access_token: `${unsigned}.${this.#sign(unsigned)}`,
      },
    };
  }

  /** The claims of a valid bearer token, or why it is not valid. */
  check(authorization: string | undefined): AccessClaims | "missing" | "invalid" | "expired" {
    const match = /^Bearer (.+)$/.exec(authorization ?? "");
    if (!match) return "missing";
    const parts = (match[1] as string).split(".");
    if (parts.length !== 3 || this.#sign(`${parts[0]}.${parts[1]}`) !== parts[2]) return "invalid";
    const claims = JSON.parse(Buffer.from(parts[1] as string, "base64url").toString()) as AccessClaims;
    return claims.exp * 1000 < Date.now() || claims.iat * 1000 <= this.#notBefore ? "expired" : claims;
  }

  #sign(data: string): string {
    return createHmac("sha256", this.#key).update(data).digest("base64url");
  }

  #checkAssertion(app: SimApp, assertion: string, tokenEndpoint: string): string | undefined {
    if (!app.certPem) return "The app has no certificate credential.";
    const [h, p, s] = assertion.split(".");
    if (!h || !p || !s) return "Client assertion is not a JWT.";
    const header = JSON.parse(Buffer.from(h, "base64url").toString()) as { alg?: string };
    const payload = JSON.parse(Buffer.from(p, "base64url").toString()) as {
      iss?: string;
      sub?: string;
      aud?: string;
      exp?: number;
    };
    const key = createPublicKey(app.certPem);
    const data = Buffer.from(`${h}.${p}`);
    const sig = Buffer.from(s, "base64url");
    const ok =
      header.alg === "PS256"
        ? verifySignature(
            "sha256",
            data,
            { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
            sig,
          )
        : header.alg === "RS256" && verifySignature("sha256", data, key, sig);
    if (!ok) return "Client assertion failed signature validation.";
    if (payload.iss !== app.clientId || payload.sub !== app.clientId)
      return "Client assertion has a wrong issuer or subject.";
    if (payload.aud !== tokenEndpoint)
      return `Client assertion audience ${payload.aud} is not ${tokenEndpoint}.`;
    if ((payload.exp ?? 0) * 1000 < Date.now()) return "Client assertion is expired.";
    return undefined;
  }
}
