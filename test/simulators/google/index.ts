export {
  type AccessGrant,
  createServiceAccount,
  keyFileOf,
  type ServiceAccount,
  TokenService,
} from "./auth.js";
export { ALL_FAULTS, type FaultKind, type FaultSpec } from "./faults.js";
export { mutate } from "./mutate.js";
export {
  type GoogleSimulator,
  type GoogleSimulatorOptions,
  READ_SCOPES,
  startGoogleSimulator,
} from "./server.js";
export {
  generateTenant,
  SCHEMA,
  SCHOOLS,
  SIM_ADMIN,
  SIM_CUSTOMER_ID,
  SIM_DOMAINS,
  SIM_NON_ADMIN,
  type TenantSpec,
} from "./tenant.js";
export { type Change, Workspace, type WsGroup, type WsMember, type WsUser } from "./workspace.js";
