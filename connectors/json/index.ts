import type { ConnectorModule } from "../../src/config/connector-context.js";
import { sampleSource } from "../file-source.js";
import { JsonSourceConfigSchema } from "./config.js";
import { createJsonSource } from "./source.js";

export { CHECKPOINT_EVERY } from "../file-source.js";
export { type JsonSourceConfig, JsonSourceConfigSchema } from "./config.js";
export { type JsonElement, jsonElements } from "./elements.js";
export { parseRecord, type RecordResult } from "./record.js";
export { createJsonSource } from "./source.js";

/** The `json` connector: a source reading persons and groups from a JSON array or JSON Lines file. */
const json: ConnectorModule = {
  type: "json",
  async source(config, ctx) {
    return createJsonSource(ctx.parse(JsonSourceConfigSchema, config), {
      name: ctx.name,
      path: ctx.path,
      baseDir: ctx.baseDir,
    });
  },
  async checkSource(config, ctx) {
    const parsed = ctx.parse(JsonSourceConfigSchema, config);
    const source = createJsonSource(parsed, { name: ctx.name, path: ctx.path, baseDir: ctx.baseDir });
    return sampleSource(source, parsed.file);
  },
};

export default json;
