import { OverstapError } from "../../src/errors.js";

/**
 * The one place where Graph's and the identity platform's failures become OverstapErrors.
 * Every message names the source, the request and what to do next; none carries a secret.
 */

/** The application permission a Graph path needs (what a 403 means). */
export function permissionFor(path: string): string {
  if (path.startsWith("education/")) return "EduRoster.Read.All";
  if (path.startsWith("directory/administrativeUnits")) return "AdministrativeUnit.Read.All";
  if (path.startsWith("groups") || /^users\/[^/]+\/memberOf/.test(path)) return "GroupMember.Read.All";
  return "User.Read.All";
}

interface GraphErrorBody {
  error?: { code?: string; message?: string };
}

function graphMessage(body: unknown): string {
  const e = (body as GraphErrorBody | undefined)?.error;
  return e ? `${e.code ?? "error"}: ${e.message ?? ""}`.trim() : "";
}

/** Translates a final (not retried) Graph HTTP error. */
export function graphHttpError(source: string, status: number, body: unknown, path: string): OverstapError {
  const detail = graphMessage(body);
  const where = `${source}: GET ${path}`;
  if (status === 401) {
    return new OverstapError("SOURCE_AUTH", `${where} was refused (401 ${detail})`, {
      hint: "The access token was not accepted twice in a row; check the app registration's credentials and tenant.",
      details: { status },
    });
  }
  if (status === 403) {
    const permission = permissionFor(path);
    return new OverstapError(
      "SOURCE_PERMISSION",
      `${where}: the app lacks the application permission ${permission} (403 ${detail})`,
      {
        hint: `Grant the application permission ${permission} to the app registration in Entra ID and give admin consent.`,
        details: { status, permission },
      },
    );
  }
  if (status === 410) {
    return new OverstapError("SOURCE_DELTA_EXPIRED", `${where}: the delta link has expired (410 ${detail})`, {
      hint: "A full pull is needed; overstap does one automatically.",
      details: { status },
    });
  }
  if (status === 429) {
    return new OverstapError(
      "SOURCE_THROTTLED",
      `${where} is still throttled after all retries (429 ${detail})`,
      {
        hint: "Lower budget.unitsPer10s or concurrency, or pull when other apps are quiet.",
        details: { status },
      },
    );
  }
  if (status >= 500) {
    return new OverstapError("SOURCE_UNREACHABLE", `${where} kept failing with ${status} ${detail}`, {
      hint: "Microsoft Graph is having trouble; try again later.",
      details: { status },
    });
  }
  return new OverstapError("SOURCE_INVALID", `${where} was rejected (${status} ${detail})`, {
    hint: "Check the select and extensionAttributes settings: Graph rejects unknown properties.",
    details: { status },
  });
}

/** Translates a request that got no usable answer (refused, reset, timed out, broken JSON). */
export function transportError(source: string, url: string, err: unknown): OverstapError {
  const host = new URL(url).host;
  const reason = describeCause(err);
  return new OverstapError("SOURCE_UNREACHABLE", `${source}: cannot reach ${host} (${reason})`, {
    cause: err,
    hint: "Check authorityHost/graphBaseUrl, the network and proxy, and that the server's certificate is trusted (NODE_EXTRA_CA_CERTS for a private CA).",
  });
}

/** The innermost useful reason of a fetch failure (undici hides it in `cause`). */
export function describeCause(err: unknown): string {
  let e: unknown = err;
  const parts: string[] = [];
  for (let i = 0; i < 4 && e instanceof Error; i++) {
    const code = (e as { code?: string }).code;
    parts.push(code ? `${code} ${e.message}` : e.message);
    e = e.cause;
  }
  return parts.at(-1) ?? String(err);
}

interface MsalLikeError {
  errorCode?: string;
  errorMessage?: string;
  message?: string;
}

/** Translates a failure to get a token (MSAL errors carry the AADSTS code in their message). */
export function tokenError(
  source: string,
  cfg: { tenantId: string; clientId: string; authorityHost: string },
  err: unknown,
  transport?: unknown,
): OverstapError {
  if (err instanceof OverstapError) return err;
  if (transport !== undefined) return transportError(source, cfg.authorityHost, transport);
  const e = (err ?? {}) as MsalLikeError;
  const text = `${e.errorMessage ?? ""} ${e.message ?? ""}`;
  const aadsts = /AADSTS(\d+)/.exec(text)?.[1];
  const firstLine = (/AADSTS\d+:[^\r\n]*?(?= Trace ID|$)/m.exec(text)?.[0] ?? text).trim();
  const where = `${source}: token request for app ${cfg.clientId} in tenant ${cfg.tenantId}`;
  switch (aadsts) {
    case "90002":
    case "900023":
    case "90013":
      return new OverstapError(
        "SOURCE_AUTH",
        `${where}: tenant ${cfg.tenantId} does not exist at ${cfg.authorityHost} (${firstLine})`,
        {
          cause: err,
          hint: "Check tenantId (the directory id or a verified domain) and authorityHost.",
          details: { aadsts },
        },
      );
    case "7000215":
    case "7000216":
      return new OverstapError("SOURCE_AUTH", `${where}: the client secret is wrong (${firstLine})`, {
        cause: err,
        hint: "Put the secret's value (not its id) in the variable or file clientSecret points to.",
        details: { aadsts },
      });
    case "7000222":
      return new OverstapError("SOURCE_AUTH", `${where}: the client secret has expired (${firstLine})`, {
        cause: err,
        hint: "Create a new client secret for the app registration and update the variable or file clientSecret points to.",
        details: { aadsts },
      });
    case "700016":
      return new OverstapError("SOURCE_AUTH", `${where}: no such application in the tenant (${firstLine})`, {
        cause: err,
        hint: "Check clientId and that the app is registered (or consented) in this tenant.",
        details: { aadsts },
      });
    case "700027":
    case "700024":
      return new OverstapError("SOURCE_AUTH", `${where}: the certificate was not accepted (${firstLine})`, {
        cause: err,
        hint: "Upload the certificate to the app registration and check certificate.keyFile and certFile/thumbprint.",
        details: { aadsts },
      });
    default:
      return new OverstapError(
        "SOURCE_AUTH",
        `${where} failed (${(firstLine || e.errorCode) ?? "unknown error"})`,
        {
          cause: err,
          hint: "Check tenantId, clientId and the credential.",
          details: { aadsts },
        },
      );
  }
}
