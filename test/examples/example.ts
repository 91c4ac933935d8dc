/**
 * Loads an example from `mappings/examples/` the way `overstap` does (config, mapping, profile),
 * and runs generated tenants through it: directly through the Entra connector's user mapping,
 * or pulled from the Graph simulator into a SQLite state store and planned.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type EntraConfig, EntraConfigSchema } from "../../connectors/entra/config.js";
import { createEntraSource } from "../../connectors/entra/index.js";
import { toPerson, userSelect } from "../../connectors/entra/map.js";
import { createMemoryTarget } from "../../connectors/ldif/memory.js";
import { connectorContext, type LoadedConfig, loadConfig } from "../../src/config/load.js";
import { type CompiledMapping, loadMapping } from "../../src/mapping/mapping.js";
import { loadProfile, type Profile, validateEntry } from "../../src/mapping/profile.js";
import type { TargetConnector } from "../../src/model/connector.js";
import type { Person } from "../../src/model/person.js";
import type { Plan } from "../../src/plan/plan-file.js";
import { buildPlan } from "../../src/plan/planner.js";
import { previousSnapshot } from "../../src/state/previous.js";
import { openSqliteStore } from "../../src/state/sqlite.js";
import type { StateStore } from "../../src/state/store.js";
import { packageRoot } from "../../src/util/package-root.js";
import { caFetch } from "../connectors/entra/support.js";
import { SIM_CLIENT_SECRET, startGraphSimulator } from "../simulators/graph/index.js";
import { project } from "../simulators/graph/odata.js";
import type { Tenant } from "./tenants.js";

/** The examples this folder tests; every folder in `mappings/examples/` must be one of them. */
export const EXAMPLES = ["po-bestuur-entra", "universiteit-surfconext", "vo-school-eckid"] as const;
export type ExampleName = (typeof EXAMPLES)[number];

/** An example as `overstap plan` would load it. */
export interface Example {
  name: ExampleName;
  dir: string;
  loaded: LoadedConfig;
  mapping: CompiledMapping;
  profile: Profile;
  /** The variables the planner passes to the mapping. */
  vars: Record<string, string>;
  entra: EntraConfig;
}

/** The folder of an example in the source tree. */
export function exampleDir(name: string): string {
  return path.join(packageRoot(), "mappings", "examples", name);
}

/** Loads an example's config, mapping and profile from `dir` (default: its folder in the tree). */
export async function loadExample(name: ExampleName, dir = exampleDir(name)): Promise<Example> {
  const loaded = await loadConfig(path.join(dir, "overstap.yaml"));
  const { config } = loaded;
  const mapping = await loadMapping(path.resolve(loaded.baseDir, config.mapping));
  const profile = await loadProfile(config.profile);
  const entra = connectorContext(loaded, ["sources", "entra"]).parse(EntraConfigSchema, config.sources.entra);
  const vars = {
    realm: config.institution.realm,
    schacHomeOrganization: config.institution.schacHomeOrganization ?? config.institution.realm,
    institution: config.institution.name,
    ...config.vars,
  };
  return { name, dir, loaded, mapping, profile, vars, entra };
}

/** The tenant's users as the Entra connector delivers them (its `$select`, its user mapping). */
export function personsOf(example: Example, tenant: Tenant): Person[] {
  const select = userSelect(example.entra).split(",");
  return [...tenant.directory.users.values()].map((raw) => {
    const person = toPerson("entra", project(raw, select), [], example.entra);
    if ("reason" in person)
      throw new Error(`the connector refused generated user ${raw.id}: ${person.reason}`);
    return person;
  });
}

/** Maps one person and validates it against the example's profile, as the planner does. */
export function mapAndValidate(example: Example, person: Person) {
  const result = example.mapping.mapPerson(person, example.vars);
  const review = result.ok ? validateEntry(example.profile, result.attrs, `entra:${person.id}`) : [];
  return { result, review };
}

/**
 * Serves the tenant from the Graph simulator, pulls it with the Entra connector configured by the
 * example's own `sources.entra` section (pointed at the simulator) into a fresh SQLite store.
 */
export async function pullFromSimulator(example: Example, tenant: Tenant): Promise<StateStore> {
  const sim = await startGraphSimulator({ tenant: tenant.directory });
  const store = openSqliteStore(
    path.join(mkdtempSync(path.join(tmpdir(), `overstap-${example.name}-`)), "state.db"),
  );
  try {
    process.env.OVERSTAP_ENTRA_SECRET = SIM_CLIENT_SECRET;
    const section = {
      ...example.loaded.config.sources.entra,
      tenantId: sim.tenantId,
      clientId: sim.clientId,
      authorityHost: sim.authorityHost,
      graphBaseUrl: sim.graphBaseUrl,
    };
    const ctx = connectorContext(example.loaded, ["sources", "entra"], {
      previous: previousSnapshot(store, "entra"),
      fetch: caFetch(sim.caPem),
    });
    const source = await createEntraSource(section, ctx);
    await store.ingest("entra", source.read({}));
    return store;
  } finally {
    await sim.close();
  }
}

/** Plans a stage of the example on a pulled store, validating against its profile. */
export function planExample(
  example: Example,
  store: StateStore,
  stage: string,
  target: TargetConnector = createMemoryTarget(),
): Promise<Plan> {
  const { profile } = example;
  return buildPlan({
    config: example.loaded.config,
    configHash: example.loaded.hash,
    mapper: example.mapping,
    store,
    target,
    stage,
    validate: (attrs, record) => validateEntry(profile, attrs, record),
  });
}
