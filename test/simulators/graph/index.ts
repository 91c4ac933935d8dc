export { type AccessClaims, type SimApp, TokenService } from "./auth.js";
export { type Change, Directory, type SimGroup, type SimUser } from "./directory.js";
export { ALL_FAULTS, type FaultKind, type FaultSpec } from "./faults.js";
export {
  ALL_ROLES,
  type GraphSimulator,
  type GraphSimulatorOptions,
  SIM_CLIENT_ID,
  SIM_CLIENT_SECRET,
  SIM_TENANT_ID,
  startGraphSimulator,
} from "./server.js";
export { DEFAULT_EXTENSION_APP_ID, generateTenant, TENANT_DOMAINS, type TenantSpec } from "./tenant.js";
export { generateClientCertificate } from "./tls.js";
