import { OverstapError } from "../../src/errors.js";
import type { ProgressFn } from "../../src/model/connector.js";
import { sourceFile } from "../file-source.js";
import type { CsvSourceConfig } from "./config.js";
import { detectDelimiter } from "./header.js";
import { decodeLines } from "./lines.js";
import { RecordAssembler } from "./records.js";

const ROWS_PER_PROGRESS = 5000;

/** One column of a CSV source to read outside a pull, by its header. */
export interface ColumnRead {
  /** The column's header, as the configuration names it (matched exactly, else ignoring case). */
  column: string;
  /** Where the configuration names it, for errors: `overstap.yaml:14: eckid.pgn.column`. */
  columnAt: string;
  /** Said after the header's columns when the column is missing or repeated. */
  hint?: string;
  /** Told the rows read so far, every 5,000 rows and at the end. */
  progress?: ProgressFn;
}

/**
 * The columns a CSV source pulls into the state store, each with the configuration key that
 * names it (`columns.id`, `ext.klas`, `groups.column`): a column read with
 * {@link readCsvColumn} so that it is never stored must not be one of them.
 * @example pulledColumns(config).find(([, header]) => header === "BSN")
 */
export function pulledColumns(config: CsvSourceConfig): (readonly [string, string | undefined])[] {
  return [
    ...Object.entries(config.columns).map(([field, header]) => [`columns.${field}`, header] as const),
    ...Object.entries(config.ext).map(([key, header]) => [`ext.${key}`, header] as const),
    ...(config.groups ? [["groups.column", config.groups.column] as const] : []),
  ];
}

/**
 * Reads one column of a CSV source's file into memory: person id → value (untrimmed, as in the
 * file; empty cells left out), for values that must not be pulled into the state store (PGNs).
 * Rows are split exactly as the source splits them, so ids match the pulled persons; unreadable
 * rows and repeated ids are skipped (the pull reports them). Errors name the file, line and
 * column, never a value. The caller clears the map when done. `where.path` is the source's
 * configuration path (`sources.las`).
 *
 * @example
 * const pgns = await readCsvColumn(config, { path: "sources.las", baseDir }, { column: "BSN", columnAt });
 * try { … } finally { pgns.clear(); }
 */
export async function readCsvColumn(
  config: CsvSourceConfig,
  where: { path: string; baseDir: string },
  read: ColumnRead,
): Promise<Map<string, string>> {
  const source = sourceFile(config.file, where);
  const { file } = source;
  const values = new Map<string, string>();
  let assembler: RecordAssembler | undefined;
  let index: { id: number; value: number; width: number } | undefined;
  let rows = 0;
  const take = (records: ReturnType<RecordAssembler["push"]>) => {
    for (const r of records) {
      if (index === undefined) {
        if ("error" in r) {
          throw new OverstapError(
            "SOURCE_INVALID",
            `${file}:${r.line}: the header line cannot be read: ${r.error}`,
          );
        }
        index = {
          id: columnAt(r.fields, config.columns.id, `${where.path}.columns.id`, file),
          value: columnAt(r.fields, read.column, read.columnAt, file, read.hint),
          width: r.fields.length,
        };
        continue;
      }
      rows++;
      if (read.progress && rows % ROWS_PER_PROGRESS === 0) read.progress(rows);
      if ("error" in r || r.fields.length !== index.width) continue;
      const id = (r.fields[index.id] as string).trim();
      const value = r.fields[index.value] as string;
      if (id === "" || values.has(id) || value.trim() === "") continue;
      values.set(id, value);
    }
  };
  for await (const line of decodeLines(source.open(), config.encoding, file)) {
    if (assembler === undefined) {
      if (line.text.trim() === "" && !line.tooLong) continue;
      assembler = new RecordAssembler(config.delimiter ?? detectDelimiter(line.text, where.path));
    }
    take(assembler.push(line));
  }
  if (assembler) take(assembler.end());
  read.progress?.(rows, rows);
  return values;
}

/** The position of column `wanted` in `header` (exact, else ignoring case); refused when missing or repeated. */
function columnAt(header: string[], wanted: string, at: string, file: string, hint?: string): number {
  const names = header.map((h) => h.trim());
  const exact = names.flatMap((n, i) => (n === wanted ? [i] : []));
  const found = exact.length
    ? exact
    : names.flatMap((n, i) => (n.toLowerCase() === wanted.toLowerCase() ? [i] : []));
  if (found.length === 1) return found[0] as number;
  const shown = header.map((h) => JSON.stringify(h.trim())).join(", ");
  throw new OverstapError(
    "CONFIG_INVALID",
    found.length
      ? `${at}: column "${wanted}" appears ${found.length} times in the header of ${file}`
      : `${at}: column "${wanted}" is not in the header of ${file}`,
    { hint: `The header has: ${shown}.${hint ? ` ${hint}` : ""}` },
  );
}
