import type { ConnectorContext } from "../../../src/config/connector-context.js";
import { parseLocatedYaml, parseWithSchema } from "../../../src/config/located-yaml.js";
import { resolveSecret } from "../../../src/config/secret.js";

/**
 * A ConnectorContext for a connector section written as YAML, as the config loader gives it:
 * `parse` reports file, line and key. `yaml` holds the section under `sources.<name>:`.
 */
export function contextFor(
  yaml: string,
  name: string,
  baseDir: string,
  section: "sources" | "target" = "sources",
): {
  ctx: ConnectorContext;
  config: unknown;
} {
  const located = parseLocatedYaml(yaml, "overstap.yaml", "CONFIG_INVALID");
  const path = section === "sources" ? ["sources", name] : ["target"];
  let config: unknown = located.value;
  for (const seg of path) config = (config as Record<string, unknown>)[seg];
  return {
    config,
    ctx: {
      name,
      path: path.join("."),
      baseDir,
      parse: (schema, value) => parseWithSchema(located, schema, value, path, "CONFIG_INVALID"),
      secret: (ref, key) => resolveSecret(ref, `${path.join(".")}.${key}`, baseDir),
    },
  };
}
