import type { Config } from "../config/schema.js";
import { resolveSecret, type SecretRef, SecretRefSchema } from "../config/secret.js";
import { toOverstapError } from "../errors.js";
import type { CompiledMapping } from "../mapping/mapping.js";
import type { CheckFinding, TargetWrites } from "../model/connector.js";
import { directoryRules } from "../model/directory-rules.js";
import { disabledWrites } from "../model/target-rules.js";
import { ownershipFinding, staleFilesFinding } from "./doctor-ownership.js";
import { stateFinding } from "./doctor-state.js";
import { type Project, projectProfile } from "./project.js";

/** One line of `overstap doctor`: which part of the set-up, and what was found. */
export interface Finding extends CheckFinding {
  area: string;
}

function failedWith(err: unknown): CheckFinding {
  const e = toOverstapError(err);
  return { status: "failed", message: `[${e.code}] ${e.message}`, ...(e.hint ? { hint: e.hint } : {}) };
}

/**
 * Runs every check `overstap doctor` knows and returns the findings: configuration, secrets,
 * mapping against the profile, each source opened and its first records read, the target
 * reached and (LDAP) its schema against what plans write. Writes nothing: no state store is
 * created, no connector is opened for writing. What a check cannot look at is "not checked".
 * `command` spells the command line of a hint (`overstap pull --source las`).
 * @example const failed = (await diagnose(project, command)).filter((f) => f.status === "failed")
 */
export async function diagnose(project: Project, command: (...args: string[]) => string): Promise<Finding[]> {
  const out: Finding[] = [];
  const guard = async (area: string, fn: () => Promise<CheckFinding[] | CheckFinding>) => {
    try {
      const r = await fn();
      for (const f of Array.isArray(r) ? r : [r]) out.push({ area, ...f });
    } catch (err) {
      out.push({ area, ...failedWith(err) });
    }
  };
  const { loaded } = project;
  out.push({ area: "config", status: "ok", message: `${loaded.file} is valid` });
  await guard("state", () => stateFinding(project));
  for (const [where, ref] of secretRefs(loaded.config, [])) {
    await guard("secrets", async () => {
      await resolveSecret(ref, `${loaded.file}: ${where}`, loaded.baseDir);
      return { status: "ok", message: `${where} is available (${"env" in ref ? `$${ref.env}` : ref.file})` };
    });
  }
  const mapping = await project.mapping().catch((err) => {
    out.push({ area: "mapping", ...failedWith(err) });
    return undefined;
  });
  if (mapping) {
    out.push({
      area: "mapping",
      status: "ok",
      message: `${loaded.config.mapping} compiles (${mapping.attributes.person.length} person attributes, ${mapping.attributes.group.length} group attributes)`,
    });
    await guard("profile", () => profileFinding(project, mapping));
  }
  for (const name of Object.keys(loaded.config.sources)) {
    await guard(`source ${name}`, async () => [
      ...(await project.checkSource(name)),
      await lastPull(project, name, command),
    ]);
  }
  await guard("target", async () =>
    mapping
      ? project.checkTarget(targetWrites(loaded.config, mapping))
      : [{ status: "not checked", message: "the target (the mapping does not compile)" }],
  );
  await guard("ownership", () => ownershipFinding(project));
  await guard("files", async () => staleFilesFinding(project));
  return out;
}

async function profileFinding(project: Project, mapping: CompiledMapping): Promise<CheckFinding> {
  const profile = await projectProfile(project);
  if (!profile) return { status: "not checked", message: "no federation profile (profile: none)" };
  const produced = new Set(mapping.attributes.person.map((a) => a.toLowerCase()));
  const missing = profile.attributes
    .filter((a) => a.min > 0 && !produced.has(a.name.toLowerCase()))
    .map((a) => a.name);
  return missing.length
    ? {
        status: "failed",
        message: `the mapping does not produce ${missing.join(", ")}, required by the ${profile.name} profile`,
        hint: "Add them under person.attributes in the mapping.",
      }
    : { status: "ok", message: `the mapping produces every attribute the ${profile.name} profile requires` };
}

async function lastPull(
  project: Project,
  name: string,
  command: (...args: string[]) => string,
): Promise<CheckFinding> {
  const info = await project.store.sourceInfo(name);
  if (!info) return { status: "ok", message: "not pulled yet" };
  return info.complete
    ? { status: "ok", message: `last pull: ${info.persons} persons, ${info.groups} groups` }
    : {
        status: "failed",
        message: `last pull: ${info.persons} persons, ${info.groups} groups — interrupted`,
        hint: `Finish it with: ${command("pull", "--source", name)}`,
      };
}

/**
 * What plans write into the target: the mapping's attributes and plain-text object classes for
 * persons (with the anchor) and groups (with the member attribute), and for disabled persons
 * those plus what the top-level `disable:` writes (a target with its own disable rules
 * recomputes that part in its check).
 */
export function targetWrites(config: Config, mapping: CompiledMapping): TargetWrites {
  const person = {
    objectClasses: mapping.objectClasses.person,
    attributes: [...new Set([...mapping.attributes.person, config.correlation.anchor])],
  };
  const group = {
    objectClasses: mapping.objectClasses.group,
    attributes: mapping.attributes.group.length
      ? [...new Set([...mapping.attributes.group, config.groups.memberAttribute])]
      : [],
  };
  return { person, group, disabled: disabledWrites(person, directoryRules(config.disable)) };
}

function secretRefs(value: unknown, at: string[]): [string, SecretRef][] {
  if (!value || typeof value !== "object") return [];
  const parsed = SecretRefSchema.safeParse(value);
  if (parsed.success) return [[at.join("."), parsed.data]];
  return Object.entries(value).flatMap(([k, v]) => secretRefs(v, [...at, k]));
}
