/**
 * Child process of the CSV memory test: reads the CSV file given as argument with the csv source
 * and prints one JSON line with the counts, the time taken and the peak resident set size.
 */

import { CsvSourceConfigSchema } from "../../../connectors/csv/config.js";
import { createCsvSource } from "../../../connectors/csv/source.js";

const [file] = process.argv.slice(2) as [string];
const config = CsvSourceConfigSchema.parse({
  type: "csv",
  file,
  columns: {
    id: "Leerlingnummer",
    givenName: "Roepnaam",
    tussenvoegsel: "Tussenvoegsel",
    surname: "Achternaam",
    mail: "E-mail",
    brin: "BRIN",
  },
  ext: { groep: "Groep" },
  groups: { column: "Groep", prefix: "klas-" },
});
const source = createCsvSource(config, { name: "las", path: "sources.las", baseDir: process.cwd() });
const started = process.hrtime.bigint();
const counts: Record<string, number> = {};
for await (const event of source.read({})) counts[event.type] = (counts[event.type] ?? 0) + 1;
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
process.stdout.write(
  `${JSON.stringify({ counts, seconds, maxRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`,
);
