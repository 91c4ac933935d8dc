import type { ConnectorModule } from "../../src/config/connector-context.js";
import { EntraConfigSchema } from "./config.js";
import { EntraSource, resolveCredential } from "./source.js";

export { type EntraConfig, EntraConfigSchema } from "./config.js";
export { type EntraDependencies, EntraSource, resolveCredential } from "./source.js";

/**
 * The Entra ID connector (a source) over Microsoft Graph.
 *
 * @example
 * sources:
 *   entra: { type: entra, tenantId: …, clientId: …, clientSecret: { env: OVERSTAP_ENTRA_SECRET } }
 */
const entra: ConnectorModule = {
  type: "entra",
  async source(config, ctx) {
    const cfg = ctx.parse(EntraConfigSchema, config);
    return new EntraSource(cfg, ctx, await resolveCredential(cfg, ctx));
  },
};

export default entra;
