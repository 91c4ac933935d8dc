import type { ConnectorModule } from "../../src/config/connector-context.js";
import { createEntraSource } from "./source.js";

export { type EntraConfig, EntraConfigSchema } from "./config.js";
export { createEntraSource, EntraSource, resolveCredential } from "./source.js";

/**
 * The Entra ID connector (a source) over Microsoft Graph.
 *
 * @example
 * sources:
 *   entra: { type: entra, tenantId: …, clientId: …, clientSecret: { env: OVERSTAP_ENTRA_SECRET } }
 */
const entra: ConnectorModule = {
  type: "entra",
  source: (config, ctx) => createEntraSource(config, ctx),
  checkSource: async (config, ctx) => (await createEntraSource(config, ctx)).check(),
};

export default entra;
