import { OverstapError } from "../errors.js";
import type { CheckFinding, SourceConnector, TargetConnector, TargetWrites } from "../model/connector.js";
import { didYouMean } from "../util/did-you-mean.js";
import type { ConnectorContext, ConnectorModule } from "./connector-context.js";

/**
 * The connector types Overstap knows, loaded lazily so that a run only loads the libraries of
 * the connectors its configuration uses.
 */
const REGISTRY: Record<string, () => Promise<{ default: ConnectorModule }>> = {
  csv: () => import("../../connectors/csv/index.js"),
  json: () => import("../../connectors/json/index.js"),
  ldif: () => import("../../connectors/ldif/index.js"),
  ldap: () => import("../../connectors/ldap/index.js"),
  entra: () => import("../../connectors/entra/index.js"),
  google: () => import("../../connectors/google/index.js"),
};

/** The names of the connector types, for help texts and errors. */
export const CONNECTOR_TYPES = Object.keys(REGISTRY);

async function loadModule(type: string, ctx: ConnectorContext): Promise<ConnectorModule> {
  const load = REGISTRY[type];
  if (!load) {
    throw new OverstapError("CONFIG_INVALID", `${ctx.path}.type: unknown connector type "${type}"`, {
      hint: `Known types: ${CONNECTOR_TYPES.join(", ")}.${didYouMean(type, CONNECTOR_TYPES)}`,
    });
  }
  return (await load()).default;
}

/** Creates the source connector configured at `ctx.path`. */
export async function createSource(
  config: { type: string },
  ctx: ConnectorContext,
): Promise<SourceConnector> {
  const mod = await loadModule(config.type, ctx);
  if (!mod.source)
    throw new OverstapError("CONFIG_INVALID", `${ctx.path}: a ${config.type} connector cannot be a source`);
  return mod.source(config, ctx);
}

/** Creates the target connector configured at `ctx.path`. */
export async function createTarget(
  config: { type: string },
  ctx: ConnectorContext,
): Promise<TargetConnector> {
  const mod = await loadModule(config.type, ctx);
  if (!mod.target)
    throw new OverstapError("CONFIG_INVALID", `${ctx.path}: a ${config.type} connector cannot be a target`);
  return mod.target(config, ctx);
}

/** The source's self-check (see {@link ConnectorModule.checkSource}), or "not checked". */
export async function checkSource(config: { type: string }, ctx: ConnectorContext): Promise<CheckFinding[]> {
  const mod = await loadModule(config.type, ctx);
  if (mod.checkSource) return mod.checkSource(config, ctx);
  return [{ status: "not checked", message: `a ${config.type} source has no self-check` }];
}

/** The target's self-check (see {@link ConnectorModule.checkTarget}), or "not checked". */
export async function checkTarget(
  config: { type: string },
  ctx: ConnectorContext,
  writes: TargetWrites,
): Promise<CheckFinding[]> {
  const mod = await loadModule(config.type, ctx);
  if (mod.checkTarget) return mod.checkTarget(config, ctx, writes);
  return [{ status: "not checked", message: `a ${config.type} target has no self-check` }];
}
