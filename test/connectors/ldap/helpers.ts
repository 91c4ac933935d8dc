import { createLdapTarget } from "../../../connectors/ldap/index.js";
import type { LdapTarget } from "../../../connectors/ldap/target.js";
import type { ConnectorContext } from "../../../src/config/connector-context.js";
import { resolveSecret } from "../../../src/config/secret.js";
import { OverstapError } from "../../../src/errors.js";
import type { Slapd } from "../../support/slapd.js";

/** A ConnectorContext as the config loader would give it, without a config file. */
export function context(): ConnectorContext {
  return {
    name: "target",
    path: "target",
    baseDir: process.cwd(),
    parse: (schema, value) => {
      const r = schema.safeParse(value);
      if (!r.success) throw new OverstapError("CONFIG_INVALID", `target: ${r.error.message}`);
      return r.data;
    },
    secret: (ref, key) => resolveSecret(ref, `target.${key}`),
  };
}

/** An LDAP target on the test server, with extra config merged in. */
export function targetFor(slapd: Slapd, extra: Record<string, unknown> = {}): Promise<LdapTarget> {
  return createLdapTarget(
    {
      type: "ldap",
      url: slapd.url,
      baseDn: slapd.baseDn,
      peopleBase: `ou=people,${slapd.baseDn}`,
      groupsBase: `ou=groups,${slapd.baseDn}`,
      bindDn: slapd.bindDn,
      bindPassword: { file: slapd.passwordFile },
      retry: { attempts: 20, baseMs: 50, maxMs: 1000, totalMs: 30_000 },
      ...extra,
    },
    context(),
  );
}
