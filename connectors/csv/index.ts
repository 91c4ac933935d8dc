import type { ConnectorModule } from "../../src/config/connector-context.js";
import { sampleSource } from "../file-source.js";
import { CsvSourceConfigSchema } from "./config.js";
import { createCsvSource } from "./source.js";

export { CHECKPOINT_EVERY } from "../file-source.js";
export { type ColumnRead, pulledColumns, readCsvColumn } from "./column.js";
export { type CsvSourceConfig, CsvSourceConfigSchema } from "./config.js";
export { createCsvSource } from "./source.js";

/** The `csv` connector: a source reading a school administration system's CSV export. */
const csv: ConnectorModule = {
  type: "csv",
  async source(config, ctx) {
    return createCsvSource(ctx.parse(CsvSourceConfigSchema, config), {
      name: ctx.name,
      path: ctx.path,
      baseDir: ctx.baseDir,
    });
  },
  async checkSource(config, ctx) {
    const parsed = ctx.parse(CsvSourceConfigSchema, config);
    const source = createCsvSource(parsed, { name: ctx.name, path: ctx.path, baseDir: ctx.baseDir });
    return sampleSource(source, parsed.file);
  },
};

export default csv;
