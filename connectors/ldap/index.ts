import type { ConnectorContext, ConnectorModule } from "../../src/config/connector-context.js";
import type { TargetConnector } from "../../src/model/connector.js";
import { createLdapTarget } from "./create.js";
import { checkLdapTarget } from "./doctor.js";

const ldap: ConnectorModule = {
  type: "ldap",
  target: (raw: unknown, ctx: ConnectorContext): Promise<TargetConnector> => createLdapTarget(raw, ctx),
  checkTarget: (raw, ctx, writes) => checkLdapTarget(raw, ctx, writes),
};

export default ldap;
export { type LdapConfig, LdapConfigSchema } from "./config.js";
export { createLdapTarget } from "./create.js";
export { checkSchema, type SchemaReport } from "./schema-check.js";
export { LdapTarget } from "./target.js";
