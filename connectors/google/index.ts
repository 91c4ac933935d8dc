import type { ConnectorModule } from "../../src/config/connector-context.js";
import { createGoogleSource } from "./source.js";

export { signAssertion } from "./auth.js";
export { type GoogleConfig, GoogleConfigSchema, SCOPES } from "./config.js";
export { createGoogleSource, GoogleSource } from "./source.js";

/**
 * The Google Workspace connector (a source) over the Admin SDK Directory API.
 *
 * @example
 * sources:
 *   google: { type: google, key: { file: sa-key.json }, subject: admin@school.nl }
 */
const google: ConnectorModule = {
  type: "google",
  source: (config, ctx) => createGoogleSource(config, ctx),
  checkSource: async (config, ctx) => (await createGoogleSource(config, ctx)).check(),
};

export default google;
