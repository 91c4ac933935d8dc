import path from "node:path";
import { checkSource, checkTarget, createSource, createTarget } from "../config/connectors.js";
import { connectorContext, type LoadedConfig, loadConfig } from "../config/load.js";
import { sqliteFile } from "../config/state.js";
import { targetIdentity } from "../config/target-identity.js";
import { isOverstapError, OverstapError } from "../errors.js";
import type { TargetLocks } from "../execute/target-lock.js";
import { type CompiledMapping, loadMapping } from "../mapping/mapping.js";
import { loadProfile, type Profile } from "../mapping/profile.js";
import type { CheckFinding, SourceConnector, TargetConnector, TargetWrites } from "../model/connector.js";
import type { LoadedPlan } from "../plan/plan-file.js";
import { type PlanSeal, projectSeal, verifySeal } from "../plan/seal.js";
import { previousSnapshot } from "../state/previous.js";
import type { StateStore } from "../state/store.js";
import { openStateStore } from "./state-store.js";

/** An opened project: configuration, state store, and lazily the mapping and connectors. */
export interface Project {
  loaded: LoadedConfig;
  store: StateStore;
  /** The target's apply locks (held in PostgreSQL in team mode). */
  locks: TargetLocks;
  /** The target's identity, what plans record and locks are keyed by. */
  targetId: string;
  mapping(): Promise<CompiledMapping>;
  target(): Promise<TargetConnector>;
  source(name: string): Promise<SourceConnector>;
  /** What the project seals its plans with (created in the state store on first use). */
  seal(): Promise<PlanSeal>;
  /** Refuses a plan this project did not make, or did not make as it is (see `verifySeal`). */
  verify(plan: LoadedPlan): Promise<void>;
  /** The self-check of source `name`, without opening it for a pull (`overstap doctor`). */
  checkSource(name: string): Promise<CheckFinding[]>;
  /** The target's self-check, without opening it for writing (`overstap doctor`). */
  checkTarget(writes: TargetWrites): Promise<CheckFinding[]>;
  close(): Promise<void>;
}

/**
 * Opens the project whose configuration is `configFile`: validates the config and opens the
 * state store. Connectors are created on first use and closed by `close()`. With `inspect` a
 * state store that does not exist yet is not created (an empty one stands in, in memory).
 */
export async function openProject(configFile: string, options: { inspect?: boolean } = {}): Promise<Project> {
  const loaded = await loadConfig(configFile);
  const { store, locks } = await openStateStore(loaded, options.inspect === true);
  let target: TargetConnector | undefined;
  const sources: SourceConnector[] = [];
  let mapping: CompiledMapping | undefined;
  let seal: PlanSeal | undefined;
  const project: Project = {
    loaded,
    store,
    locks,
    targetId: targetIdentity(loaded.config.target),
    async mapping() {
      mapping ??= await loadMapping(path.resolve(loaded.baseDir, loaded.config.mapping));
      return mapping;
    },
    async target() {
      target ??= await createTarget(loaded.config.target, connectorContext(loaded, ["target"]));
      return target;
    },
    async source(name) {
      const cfg = loaded.config.sources[name];
      if (!cfg) {
        throw new OverstapError("CONFIG_INVALID", `there is no source "${name}"`, {
          hint: `Sources in ${loaded.file}: ${Object.keys(loaded.config.sources).join(", ")}.`,
        });
      }
      const source = await createSource(
        cfg,
        connectorContext(loaded, ["sources", name], { previous: previousSnapshot(store, name) }),
      );
      sources.push(source);
      return source;
    },
    async seal() {
      seal ??= await projectSeal(store, targetIdentity(loaded.config.target));
      return seal;
    },
    async verify(plan) {
      const facts = {
        institution: loaded.config.institution.name,
        profile: loaded.config.profile,
        mapping: plan.header.kind === "migrate" ? (await project.mapping()).hash : "",
      };
      verifySeal(plan, await project.seal(), facts);
    },
    checkSource(name) {
      const cfg = loaded.config.sources[name] as { type: string };
      return checkSource(
        cfg,
        connectorContext(loaded, ["sources", name], { previous: previousSnapshot(store, name) }),
      );
    },
    checkTarget(writes) {
      return checkTarget(loaded.config.target, connectorContext(loaded, ["target"]), writes);
    },
    async close() {
      await target?.close();
      for (const s of sources) await s.close?.();
      await store.close();
    },
  };
  return project;
}

/**
 * The folder plans are saved in when no file is given: `state.plans`, else a `plans` folder
 * beside the SQLite file (`.overstap/plans` by default, and with PostgreSQL); relative to the
 * configuration file.
 * @example plansDir(project.loaded) // "/srv/school/.overstap/plans"
 */
export function plansDir(loaded: LoadedConfig): string {
  const { state } = loaded.config;
  if (state.plans !== undefined) return path.resolve(loaded.baseDir, state.plans);
  if (state.postgres) return path.resolve(loaded.baseDir, ".overstap/plans");
  return path.join(path.dirname(path.resolve(loaded.baseDir, sqliteFile(state))), "plans");
}

/** The federation profile the project validates against, or undefined for `profile: none`. */
export async function projectProfile(project: Project): Promise<Profile | undefined> {
  const name = profileOf(project);
  if (name === undefined) return undefined;
  try {
    return await loadProfile(name);
  } catch (err) {
    if (!isOverstapError(err, "CONFIG_INVALID") || err.message.startsWith(project.loaded.file)) throw err;
    const { located } = project.loaded;
    throw new OverstapError(
      "CONFIG_INVALID",
      `${located.file}:${located.lineOf(["profile"])}: profile: ${err.message}`,
      {
        ...(err.hint ? { hint: err.hint } : {}),
        cause: err,
      },
    );
  }
}

/** The project's profile as `loadProfile` takes it (a built-in name or a resolved file), or undefined for `profile: none`. */
export function profileOf(project: Project): string | undefined {
  const { loaded } = project;
  const name = loaded.config.profile;
  if (name === "none") return undefined;
  return /\.ya?ml$/.test(name) ? path.resolve(loaded.baseDir, name) : name;
}
