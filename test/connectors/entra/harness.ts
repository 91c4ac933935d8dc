import { createEntraSource, type EntraSource } from "../../../connectors/entra/index.js";
import type { StateStore } from "../../../src/state/store.js";
import { type GraphSimulator, SIM_CLIENT_SECRET } from "../../simulators/graph/index.js";
import { caFetch, testContext } from "./support.js";

export const ECK_ATTR = "extension_0b7e6f1c2d3a4b5c8d9e0f1a2b3c4d5e_eckId";
export const SECRET_ENV = "OVERSTAP_TEST_GRAPH_SECRET";

/** The connector configuration for the simulator, with small pages so a small tenant has many. */
export function simConfig(
  sim: GraphSimulator,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  process.env[SECRET_ENV] = SIM_CLIENT_SECRET;
  return {
    type: "entra",
    tenantId: sim.tenantId,
    clientId: sim.clientId,
    clientSecret: { env: SECRET_ENV },
    authorityHost: sim.authorityHost,
    graphBaseUrl: sim.graphBaseUrl,
    extensionAttributes: [ECK_ATTR],
    pageSize: 25,
    concurrency: 6,
    ...overrides,
  };
}

/** An Entra source against the simulator through the connector's own factory. */
export function simSource(
  sim: GraphSimulator,
  state?: StateStore,
  overrides: Record<string, unknown> = {},
): Promise<EntraSource> {
  return createEntraSource(
    simConfig(sim, overrides),
    testContext("entra", { store: state, fetch: caFetch(sim.caPem) }),
  );
}
