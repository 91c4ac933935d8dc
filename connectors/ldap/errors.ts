import { ResultCodeError } from "ldapts";
import { type ErrorCode, OverstapError } from "../../src/errors.js";

/** What the failing request was about, for the error message. */
export interface LdapErrorContext {
  /** e.g. "add", "modify", "bind", "search". */
  action: string;
  dn?: string;
  attributes?: string[];
}

const RESULT_CODES: Record<number, ErrorCode> = {
  8: "TARGET_AUTH",
  13: "TARGET_AUTH",
  48: "TARGET_AUTH",
  49: "TARGET_AUTH",
  50: "TARGET_AUTH",
  16: "TARGET_SCHEMA",
  17: "TARGET_SCHEMA",
  18: "TARGET_SCHEMA",
  19: "TARGET_SCHEMA",
  21: "TARGET_SCHEMA",
  34: "TARGET_SCHEMA",
  64: "TARGET_SCHEMA",
  65: "TARGET_SCHEMA",
  67: "TARGET_SCHEMA",
  69: "TARGET_SCHEMA",
  32: "TARGET_NO_SUCH_OBJECT",
  20: "TARGET_CONFLICT",
  68: "TARGET_CONFLICT",
  51: "TARGET_UNREACHABLE",
  52: "TARGET_UNREACHABLE",
};

const HINTS: Partial<Record<ErrorCode, string>> = {
  TARGET_AUTH: "Check target.bindDn and the bind password, and that this DN may write under target.baseDn.",
  TARGET_SCHEMA:
    "Load the schemas the mapping needs (overstap doctor lists them; see mappings/ldap-schema) or fix the mapping for this attribute.",
  TARGET_NO_SUCH_OBJECT:
    "The entry or its parent is missing: re-run overstap plan against the current directory.",
  TARGET_CONFLICT: "Someone else changed this entry: re-run overstap plan to see the current state.",
  TARGET_UNREACHABLE: "Check that the directory server is running and reachable from here (target.url).",
  TARGET_TLS:
    "Give the directory's CA certificate as target.caFile, or check the server's certificate and host name.",
};

const NETWORK = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

function isTlsFailure(code: string): boolean {
  return (
    code.startsWith("ERR_TLS_") ||
    code.startsWith("ERR_SSL_") ||
    /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|LEAF_SIGNATURE/.test(code)
  );
}

function classify(err: unknown): ErrorCode {
  if (err instanceof ResultCodeError) return RESULT_CODES[err.code] ?? "TARGET_WRITE";
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === "string" && NETWORK.has(code)) return "TARGET_UNREACHABLE";
  if (typeof code === "string" && isTlsFailure(code)) return "TARGET_TLS";
  const message = err instanceof Error ? err.message : String(err);
  if (/connection closed|connection timeout|timed out|socket|not connected|EOF/i.test(message)) {
    return "TARGET_UNREACHABLE";
  }
  return "TARGET_WRITE";
}

function describe(err: unknown): string {
  if (err instanceof ResultCodeError)
    return `${err.name.replace(/Error$/, "")} (LDAP result ${err.code}): ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

/**
 * The one place where ldapts and socket errors become {@link OverstapError}s: LDAP result
 * codes map to TARGET_AUTH, TARGET_SCHEMA, TARGET_NO_SUCH_OBJECT, TARGET_CONFLICT,
 * TARGET_UNREACHABLE (busy, unavailable, connection lost) or TARGET_WRITE; certificate
 * failures to TARGET_TLS. The message names the entry and the attributes involved.
 * @example throw translateLdapError(err, { action: "modify", dn, attributes: ["mail"] })
 */
export function translateLdapError(err: unknown, ctx: LdapErrorContext): OverstapError {
  if (err instanceof OverstapError) return err;
  const code = classify(err);
  const where = ctx.dn === undefined ? "" : ` of ${JSON.stringify(ctx.dn)}`;
  const attrs = ctx.attributes?.length ? ` (attributes: ${ctx.attributes.join(", ")})` : "";
  const details: Record<string, unknown> = { action: ctx.action };
  if (ctx.dn !== undefined) details.dn = ctx.dn;
  if (ctx.attributes?.length) details.attributes = ctx.attributes;
  if (err instanceof ResultCodeError) details.ldapResultCode = err.code;
  const unknownHost = (err as { code?: unknown } | null)?.code === "ENOTFOUND";
  if (unknownHost) details.dns = "ENOTFOUND";
  return new OverstapError(code, `LDAP ${ctx.action}${where} failed${attrs}: ${describe(err)}`, {
    cause: err,
    hint: unknownHost
      ? "The host name in target.url does not exist (DNS found no such name): check its spelling."
      : HINTS[code],
    details,
  });
}

/** True for failures worth a reconnect and retry: connection loss, server busy or unavailable (not a host name that does not exist). */
export function isRetryable(err: OverstapError): boolean {
  return err.code === "TARGET_UNREACHABLE" && err.details.dns !== "ENOTFOUND";
}
