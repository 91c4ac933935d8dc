import { OverstapError } from "../../src/errors.js";
import { SCOPES } from "./config.js";

/**
 * The one place where Google's failures become OverstapErrors. Every message names the source,
 * the request and what to do next; none carries the key or a token.
 */

const DELEGATION_PATH =
  "the Google Admin console: Security → Access and data control → API controls → Domain-wide delegation";

/** What the messages need to know of the configuration. */
export interface ErrorFacts {
  source: string;
  subject: string;
  customer: string;
  clientEmail: string;
  tokenUrl: string;
}

interface GoogleErrorBody {
  error?: {
    code?: number;
    message?: string;
    status?: string;
    errors?: { reason?: string; message?: string }[];
  };
}

/** The `reason` of a Directory API error body (`errors[0].reason`), or its `status`. */
export function errorReason(body: unknown): string | undefined {
  const e = (body as GoogleErrorBody | undefined)?.error;
  if (!e || typeof e !== "object") return undefined;
  const reason = Array.isArray(e.errors) ? e.errors[0]?.reason : undefined;
  return typeof reason === "string" ? reason : typeof e.status === "string" ? e.status : undefined;
}

function errorMessage(body: unknown): string {
  const e = (body as GoogleErrorBody | undefined)?.error;
  const message = e && typeof e === "object" && typeof e.message === "string" ? e.message : "";
  const reason = errorReason(body);
  return [reason, message].filter(Boolean).join(": ").slice(0, 200);
}

/** Reasons Google documents as "slow down and retry". */
export const RATE_REASONS = new Set(["rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded"]);

/** True when a final answer may be retried: throttling and transient server errors. */
export function isRetryable(status: number, body: unknown): boolean {
  if (status === 429 || status === 500 || status === 502 || status === 503 || status === 504) return true;
  return status === 403 && RATE_REASONS.has(errorReason(body) ?? "");
}

/** Translates a final (not retried, or retried in vain) Directory API answer. */
export function directoryError(
  facts: ErrorFacts,
  status: number,
  body: unknown,
  what: string,
): OverstapError {
  const detail = errorMessage(body);
  const reason = errorReason(body);
  const where = `${facts.source}: ${what}`;
  const details = { status, ...(reason ? { reason } : {}) };
  if (status === 401) {
    return new OverstapError("SOURCE_AUTH", `${where} was refused twice with a fresh token (401 ${detail})`, {
      hint: `Check that the service account ${facts.clientEmail} still exists and its key is not revoked.`,
      details,
    });
  }
  if (status === 429 || (status === 403 && RATE_REASONS.has(reason ?? ""))) {
    return new OverstapError(
      "SOURCE_THROTTLED",
      `${where} is still throttled after all retries (${status} ${detail})`,
      {
        hint: "Lower quota.queries or concurrency, or pull when other tools using this service account are quiet.",
        details,
      },
    );
  }
  if (status === 403 && reason === "dailyLimitExceeded") {
    return new OverstapError(
      "SOURCE_THROTTLED",
      `${where}: the project's daily quota is used up (403 ${detail}); not retried`,
      {
        hint: "Pull again tomorrow, or raise the Admin SDK API quota in the Google Cloud console (APIs & Services → Admin SDK API → Quotas).",
        details,
      },
    );
  }
  if (
    status === 403 &&
    (reason === "insufficientPermissions" || reason === "ACCESS_TOKEN_SCOPE_INSUFFICIENT")
  ) {
    return new OverstapError(
      "SOURCE_PERMISSION",
      `${where}: the token lacks a scope this call needs (403 ${detail})`,
      {
        hint: `Grant the client id of ${facts.clientEmail} the scopes ${SCOPES.join(", ")} in ${DELEGATION_PATH}.`,
        details,
      },
    );
  }
  const domain = / of domain (\S+)/.exec(what)?.[1];
  if (status === 403 && domain) {
    return new OverstapError(
      "CONFIG_INVALID",
      `${where}: Google refuses domain ${domain} (403 ${detail}): it is not a domain of the account, or ${facts.subject} is not an admin`,
      {
        hint: "List in domains only domains of the account (Admin console → Account → Domains → Manage domains), and set subject to an admin.",
        details,
      },
    );
  }
  if (status === 403) {
    return new OverstapError(
      "SOURCE_PERMISSION",
      `${where}: ${facts.subject} may not read this (403 ${detail}); the subject must be an admin of the account`,
      {
        hint: `Set subject to a super admin, or to an admin whose role has the Admin API privileges Users → Read and Groups → Read (Admin console → Account → Admin roles); a domain in domains must belong to the account.`,
        details,
      },
    );
  }
  if ((status === 400 || status === 404) && /customer|domain/i.test(`${detail} ${what}`)) {
    return new OverstapError(
      "CONFIG_INVALID",
      `${where}: Google does not know customer "${facts.customer}" or a domain asked for (${status} ${detail})`,
      {
        hint: 'Leave customer at "my_customer" (the subject\'s own account) or use the customer id from Admin console → Account → Account settings; list only domains the account owns.',
        details,
      },
    );
  }
  if (status >= 500) {
    return new OverstapError("SOURCE_UNREACHABLE", `${where} kept failing with ${status} ${detail}`, {
      hint: "Google's Directory API is having trouble; pull again later (the pull resumes where it stopped).",
      details,
    });
  }
  return new OverstapError("SOURCE_INVALID", `${where} was rejected (${status} ${detail})`, {
    hint: "Check customSchema: Google rejects a custom schema the account does not have.",
    details,
  });
}

/** Translates a request that got no usable answer (refused, reset, timed out, broken body). */
export function transportError(source: string, url: string, err: unknown): OverstapError {
  const host = new URL(url).host;
  return new OverstapError("SOURCE_UNREACHABLE", `${source}: cannot reach ${host} (${describeCause(err)})`, {
    cause: err,
    hint: "Check tokenUrl and baseUrl, the network and proxy, and that the server's certificate is trusted (NODE_EXTRA_CA_CERTS for a private CA).",
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

interface TokenErrorBody {
  error?: string;
  error_description?: string;
}

/**
 * Translates a refusal of the token endpoint (`{ error, error_description }`, RFC 6749). `missing`
 * names the scopes the delegation lacks when they could be found out.
 */
export function tokenError(
  facts: ErrorFacts,
  status: number,
  body: unknown,
  missing?: string[],
): OverstapError {
  const b = (body ?? {}) as TokenErrorBody;
  const code = typeof b.error === "string" ? b.error : `HTTP ${status}`;
  const description = typeof b.error_description === "string" ? b.error_description.slice(0, 200) : "";
  const detail = `${status} ${code}${description ? `: ${description}` : ""}`;
  const where = `${facts.source}: token request for service account ${facts.clientEmail} acting as ${facts.subject}`;
  const details = { status, error: code };
  if (status === 429 || status >= 500) {
    return new OverstapError("SOURCE_UNREACHABLE", `${where} kept failing (${detail})`, {
      hint: `The token endpoint ${facts.tokenUrl} is having trouble; try again later.`,
      details,
    });
  }
  if (code === "unauthorized_client" || code === "access_denied") {
    const scopes = missing && missing.length > 0 ? missing : SCOPES;
    return new OverstapError(
      "SOURCE_PERMISSION",
      `${where}: domain-wide delegation does not grant ${scopes.join(", ")} (${detail})`,
      {
        hint: `In ${DELEGATION_PATH}, add (or edit) the service account's client id with the scopes ${SCOPES.join(",")}.`,
        details: { ...details, missing: scopes },
      },
    );
  }
  if (code === "invalid_grant" && /email|user id|subject|sub\b/i.test(description)) {
    return new OverstapError("SOURCE_AUTH", `${where}: Google does not know the subject (${detail})`, {
      hint: "Set subject to the e-mail address of an existing admin of the account.",
      details,
    });
  }
  if (code === "invalid_grant" || code === "invalid_client") {
    return new OverstapError("SOURCE_AUTH", `${where}: the key was not accepted (${detail})`, {
      hint: "The key may be deleted or disabled, or the machine's clock may be off: create a new JSON key for the service account and point key at it.",
      details,
    });
  }
  if (code === "invalid_scope") {
    return new OverstapError("SOURCE_PERMISSION", `${where}: a scope was refused (${detail})`, {
      hint: `In ${DELEGATION_PATH}, grant ${SCOPES.join(",")}.`,
      details,
    });
  }
  return new OverstapError("SOURCE_AUTH", `${where} failed (${detail})`, {
    hint: `Check tokenUrl (${facts.tokenUrl}), the key and the subject.`,
    details,
  });
}
