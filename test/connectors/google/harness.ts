import { createGoogleSource, type GoogleSource } from "../../../connectors/google/index.js";
import type { StateStore } from "../../../src/state/store.js";
import type { GoogleSimulator } from "../../simulators/google/index.js";
import { caFetch, testContext } from "../entra/support.js";

export const KEY_ENV = "OVERSTAP_TEST_GOOGLE_KEY";

/** The connector configuration for the simulator, with small pages so a small account has many. */
export function simConfig(
  sim: GoogleSimulator,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  process.env[KEY_ENV] = sim.keyFile;
  return {
    type: "google",
    key: { env: KEY_ENV },
    subject: sim.admin,
    tokenUrl: sim.tokenUrl,
    baseUrl: sim.baseUrl,
    userPageSize: 40,
    groupPageSize: 15,
    concurrency: 6,
    ...overrides,
  };
}

/** A Google source against the simulator through the connector's own factory. */
export function simSource(
  sim: GoogleSimulator,
  state?: StateStore,
  overrides: Record<string, unknown> = {},
): Promise<GoogleSource> {
  return createGoogleSource(
    simConfig(sim, overrides),
    testContext("google", { store: state, fetch: caFetch(sim.caPem) }),
  );
}
