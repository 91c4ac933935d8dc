import https from "node:https";
import { createSecureContext } from "node:tls";
import { OverstapError } from "../errors.js";
import type { TlsMaterial } from "./config.js";

/** Sends one SOAP request and returns the HTTP status and body. */
export type SoapTransport = (request: { url: string; action: string; body: string }) => Promise<{
  status: number;
  body: string;
}>;

const UNTRUSTED = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
]);

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  return typeof code === "string" ? code : "";
}

/**
 * The one place where network and TLS failures become Overstap errors: ECKID_TLS for
 * certificate problems on either side, ECKID_SERVICE for everything else.
 */
export function translateNetworkError(err: unknown, url: string): OverstapError {
  const code = codeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  const tls = (text: string, hint: string) =>
    new OverstapError("ECKID_TLS", `Nummervoorziening ${url}: ${text}`, { cause: err, hint });
  if (code === "CERT_HAS_EXPIRED") {
    return tls(
      "the server's certificate has expired",
      "The service must renew its certificate; try again later or contact Kennisnet.",
    );
  }
  if (code === "CERT_NOT_YET_VALID")
    return tls("the server's certificate is not valid yet", "Check this machine's clock.");
  if (UNTRUSTED.has(code)) {
    return tls(
      `the server's certificate is not trusted (${code})`,
      "Set eckid.tls.ca to the CA bundle that issued the service's certificate (PKIoverheid).",
    );
  }
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    return tls(
      "the server's certificate does not name this host",
      "Check eckid.endpoint: use the host name in the service's certificate.",
    );
  }
  if (
    code.startsWith("ERR_OSSL") ||
    code.startsWith("ERR_SSL") ||
    /alert|certificate|handshake/i.test(message)
  ) {
    const mismatch = /KEY_VALUES_MISMATCH|key values mismatch/i.test(`${code} ${message}`);
    return tls(
      mismatch
        ? "the client certificate and key do not belong together"
        : `the TLS handshake failed; the service did not accept our client certificate (${code || message})`,
      "Use the school's PKIoverheid certificate that is registered with the Nummervoorziening, and its own private key (eckid.tls.cert, eckid.tls.key).",
    );
  }
  if (code === "ECONNRESET" || code === "EPIPE") {
    return tls(
      `the connection was closed during the request (${code}); usually the service refused our client certificate`,
      "Check that eckid.tls.cert is the certificate registered for this OIN at the Nummervoorziening.",
    );
  }
  return new OverstapError("ECKID_SERVICE", `Nummervoorziening ${url} is not reachable: ${message}`, {
    cause: err,
    hint: "Check eckid.endpoint and the network (proxy, firewall) and try again.",
  });
}

/**
 * An HTTPS transport with mutual TLS (client certificate and key, optional CA bundle).
 * Server certificates are always verified.
 */
export function httpsTransport(tls: TlsMaterial, timeoutMs: number): { send: SoapTransport; close(): void } {
  let agent: https.Agent;
  try {
    createSecureContext(tls);
    agent = new https.Agent({ ...tls, keepAlive: true, maxSockets: 4, rejectUnauthorized: true });
  } catch (err) {
    throw translateNetworkError(err, "(client certificate)");
  }
  const send: SoapTransport = ({ url, action, body }) =>
    new Promise((resolve, reject) => {
      const payload = Buffer.from(body, "utf8");
      const req = https.request(
        url,
        {
          method: "POST",
          agent,
          timeout: timeoutMs,
          headers: {
            "Content-Type": "text/xml; charset=utf-8",
            SOAPAction: `"${action}"`,
            "Content-Length": payload.length,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
          );
          res.on("error", (err) => reject(translateNetworkError(err, url)));
        },
      );
      req.on("timeout", () =>
        req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: "ETIMEDOUT" })),
      );
      req.on("error", (err) => reject(translateNetworkError(err, url)));
      req.end(payload);
    });
  return { send, close: () => agent.destroy() };
}
