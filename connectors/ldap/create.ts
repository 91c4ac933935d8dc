import type { ConnectorContext } from "../../src/config/connector-context.js";
import { LdapConfigSchema } from "./config.js";
import { LdapSession } from "./session.js";
import { LdapTarget } from "./target.js";
import { resolveTransport } from "./transport.js";

/**
 * Opens the LDAP target described by the config's `target:` section (validated against
 * {@link LdapConfigSchema}); the connection is made on first use.
 * @example const target = await createLdapTarget(config.target, ctx)
 */
export async function createLdapTarget(raw: unknown, ctx: ConnectorContext): Promise<LdapTarget> {
  const config = ctx.parse(LdapConfigSchema, raw);
  const transport = await resolveTransport(config, ctx.path, ctx.baseDir);
  const password = await ctx.secret(config.bindPassword, "bindPassword");
  const session = new LdapSession({
    transport,
    bindDn: config.bindDn,
    password,
    timeoutMs: config.timeoutMs,
    retry: config.retry,
  });
  return new LdapTarget(ctx.name, config, session);
}
