import { createPrivateKey, type KeyObject } from "node:crypto";
import { OverstapError } from "../../src/errors.js";

/** What the connector uses of a service account's JSON key file. */
export interface ServiceAccountKey {
  clientEmail: string;
  privateKey: KeyObject;
  keyId?: string;
}

/**
 * Reads a service account's JSON key (as the Google Cloud console downloads it): its
 * `client_email` and its PEM `private_key`. A failure names the setting, never the content.
 * @example const key = parseServiceAccountKey(await ctx.secret(cfg.key, "key"), "sources.google.key");
 */
export function parseServiceAccountKey(text: string, where: string): ServiceAccountKey {
  const bad = (what: string, cause?: unknown) =>
    new OverstapError("SOURCE_AUTH", `${where}: the service account key ${what}`, {
      ...(cause === undefined ? {} : { cause }),
      hint: "Point key at the JSON key file of the service account (Google Cloud console → IAM & Admin → Service accounts → Keys → Add key → JSON), or at a variable holding its text.",
    });
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw bad("is not JSON");
  }
  if (typeof json !== "object" || json === null) throw bad("is not a JSON object");
  if (json.type !== undefined && json.type !== "service_account") {
    throw bad(`is of type "${String(json.type)}", not a service account key`);
  }
  if (typeof json.client_email !== "string" || !json.client_email.includes("@")) {
    throw bad("has no client_email");
  }
  if (typeof json.private_key !== "string") throw bad("has no private_key");
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(json.private_key);
  } catch (err) {
    throw bad("has a private_key that is not a PEM private key", err);
  }
  if (privateKey.asymmetricKeyType !== "rsa") throw bad("has a private_key that is not an RSA key");
  return {
    clientEmail: json.client_email,
    privateKey,
    ...(typeof json.private_key_id === "string" ? { keyId: json.private_key_id } : {}),
  };
}
