import { readFile } from "node:fs/promises";
import { isIP } from "node:net";
import path from "node:path";
import type { ConnectionOptions } from "node:tls";
import { OverstapError } from "../../src/errors.js";
import type { LdapConfig } from "./config.js";

/** How to reach the server: the URL, TLS options, and whether to upgrade with StartTLS. */
export interface Transport {
  url: string;
  host: string;
  secure: boolean;
  startTls: boolean;
  tls: ConnectionOptions;
}

/** True for names that never leave this machine: localhost, 127.0.0.0/8, ::1. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || (isIP(h) === 4 && h.startsWith("127."));
}

/**
 * Checks the transport security of the configuration and loads the CA file. LDAPS and
 * StartTLS always verify the server certificate; plain `ldap://` is refused unless the host
 * is loopback or `allowInsecure` is set.
 * @example const t = await resolveTransport(config, "target", ctx.baseDir)
 */
export async function resolveTransport(
  config: LdapConfig,
  where: string,
  baseDir: string,
): Promise<Transport> {
  const url = new URL(config.url);
  const secure = url.protocol === "ldaps:";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (secure && config.startTls) {
    throw new OverstapError(
      "CONFIG_INVALID",
      `${where}.startTls: StartTLS cannot be used with an ldaps:// URL`,
      {
        hint: "Use either ldaps://host (TLS from the start) or ldap://host with startTls: true.",
      },
    );
  }
  if (!secure && !config.startTls && !config.allowInsecure && !isLoopback(host)) {
    throw new OverstapError(
      "CONFIG_INVALID",
      `${where}.url: ${config.url} would send the bind password and pupils' data unencrypted to ${host}`,
      {
        hint: "Use ldaps://, or set startTls: true; allowInsecure: true only for a trusted network you control.",
      },
    );
  }
  const tls: ConnectionOptions = { rejectUnauthorized: true, host };
  if (isIP(host) === 0) tls.servername = host;
  if (config.caFile !== undefined) {
    const file = path.resolve(baseDir, config.caFile);
    try {
      tls.ca = await readFile(file);
    } catch (err) {
      throw new OverstapError("CONFIG_INVALID", `${where}.caFile: cannot read ${file}`, {
        cause: err,
        hint: "Point caFile at the PEM file of the CA that signed the directory server's certificate.",
      });
    }
  }
  return { url: `${url.protocol}//${url.host}`, host, secure, startTls: config.startTls, tls };
}
