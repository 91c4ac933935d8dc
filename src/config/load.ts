import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { OverstapError } from "../errors.js";
import { bundledProfiles } from "../mapping/profile.js";
import { didYouMean } from "../util/did-you-mean.js";
import type { ConnectorContext } from "./connector-context.js";
import { CONNECTOR_TYPES } from "./connectors.js";
import { type LocatedYaml, parseLocatedYaml, parseWithSchema } from "./located-yaml.js";
import { type Config, ConfigSchema } from "./schema.js";
import { resolveSecret } from "./secret.js";

/** A validated configuration with what is needed to report errors against its file. */
export interface LoadedConfig {
  config: Config;
  file: string;
  baseDir: string;
  located: LocatedYaml;
  /** sha256 of the file's text. */
  hash: string;
}

const SECRET_KEY = /(secret|password|passwd|token|salt|privatekey|apikey)$/i;

/**
 * Reads and validates `overstap.yaml`. Errors name the file, line and key; a secret written in
 * plain text is refused with the way to fix it.
 *
 * @example
 * const { config } = await loadConfig("overstap.yaml");
 */
export async function loadConfig(file: string): Promise<LoadedConfig> {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = await readFile(abs, "utf8");
  } catch (err) {
    throw new OverstapError("CONFIG_NOT_FOUND", `cannot read the configuration ${abs}`, {
      cause: err,
      hint: "Run `overstap init` to create one, or pass --config FILE.",
    });
  }
  return parseConfig(text, abs);
}

/** Validates configuration text as if read from `file`. */
export function parseConfig(text: string, file: string): LoadedConfig {
  const located = parseLocatedYaml(text, file, "CONFIG_INVALID");
  refusePlainSecrets(located, located.value, []);
  const config = parseWithSchema(located, ConfigSchema, located.value, [], "CONFIG_INVALID");
  requireKnownTypes(located, config);
  requireKnownProfile(located, config.profile);
  const names = new Set<string>();
  config.stages.forEach((stage, i) => {
    if (names.has(stage.name)) {
      throw new OverstapError(
        "CONFIG_INVALID",
        `${file}:${located.lineOf(["stages", i, "name"])}: stages.${i}.name: stage "${stage.name}" is defined twice`,
      );
    }
    names.add(stage.name);
  });
  return {
    config,
    file,
    baseDir: path.dirname(file),
    located,
    hash: createHash("sha256").update(text).digest("hex"),
  };
}

/** Refuses a source or target of a type no connector has, naming file, line and key. */
function requireKnownTypes(located: LocatedYaml, config: Config): void {
  const sections: [string[], unknown][] = [
    ...Object.entries(config.sources).map(([name, s]): [string[], unknown] => [["sources", name], s]),
    [["target"], config.target],
  ];
  for (const [at, section] of sections) {
    const type = (section as { type?: unknown }).type;
    if (typeof type !== "string" || CONNECTOR_TYPES.includes(type)) continue;
    throw new OverstapError(
      "CONFIG_INVALID",
      `${located.file}:${located.lineOf([...at, "type"])}: ${at.join(".")}.type: unknown connector type "${type}"`,
      { hint: `Known types: ${CONNECTOR_TYPES.join(", ")}.${didYouMean(type, CONNECTOR_TYPES)}` },
    );
  }
}

/** Refuses a bare profile name that is not built in (a path is a profile file), naming file and line. */
function requireKnownProfile(located: LocatedYaml, profile: string): void {
  const known = bundledProfiles();
  if (profile === "none" || !/^[a-z0-9-]+$/.test(profile) || known.includes(profile)) return;
  throw new OverstapError(
    "CONFIG_INVALID",
    `${located.file}:${located.lineOf(["profile"])}: profile: profile "${profile}" does not exist`,
    {
      hint: `Use one of ${[...known, "none"].join(", ")}, or the path of your own profile file (*.yaml).${didYouMean(profile, known)}`,
    },
  );
}

function refusePlainSecrets(located: LocatedYaml, value: unknown, at: (string | number)[]): void {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) refusePlainSecrets(located, v, [...at, i]);
    return;
  }
  if (value === null || typeof value !== "object") return;
  for (const [key, v] of Object.entries(value)) {
    const here = [...at, key];
    if (SECRET_KEY.test(key) && (typeof v === "string" || typeof v === "number")) {
      throw new OverstapError(
        "SECRET_IN_PLAIN_TEXT",
        `${located.file}:${located.lineOf(here)}: ${here.join(".")} holds a secret in plain text`,
        {
          hint: `Secrets never go in the configuration file. Write \`${key}: { env: OVERSTAP_${key.toUpperCase()} }\` and export that variable, or \`${key}: { file: /path/to/secret }\`.`,
        },
      );
    }
    refusePlainSecrets(located, v, here);
  }
}

/**
 * The context a connector factory receives for the section at `sectionPath`
 * (e.g. `["sources", "entra"]` or `["target"]`).
 */
export function connectorContext(
  loaded: LoadedConfig,
  sectionPath: string[],
  extra: Partial<ConnectorContext> = {},
): ConnectorContext {
  const dotted = sectionPath.join(".");
  return {
    name: sectionPath[sectionPath.length - 1] ?? dotted,
    path: dotted,
    baseDir: loaded.baseDir,
    parse: (schema, value) => parseWithSchema(loaded.located, schema, value, sectionPath, "CONFIG_INVALID"),
    secret: (ref, key) => resolveSecret(ref, `${loaded.file}: ${dotted}.${key}`, loaded.baseDir),
    ...extra,
  };
}
