import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import {
  type CsvSourceConfig,
  CsvSourceConfigSchema,
  decodeLines,
  detectDelimiter,
  RecordAssembler,
} from "../../connectors/csv/index.js";
import type { LoadedConfig } from "../config/load.js";
import { OverstapError } from "../errors.js";
import type { ProgressFn } from "../model/connector.js";
import type { PgnColumn } from "./config.js";

const ROWS_PER_PROGRESS = 5000;

function where(loaded: LoadedConfig, key: string): string {
  return `${loaded.file}:${loaded.located.lineOf(["eckid", "pgn", key])}: eckid.pgn.${key}`;
}

/**
 * The CSV source the PGNs come from, checked: it exists, is `type: csv`, and does not pull the
 * PGN column itself (that would put PGNs in the state store).
 */
export function pgnSourceConfig(loaded: LoadedConfig, pgn: PgnColumn): CsvSourceConfig {
  const raw = loaded.config.sources[pgn.source];
  if (raw === undefined) {
    throw new OverstapError(
      "CONFIG_INVALID",
      `${where(loaded, "source")}: there is no source "${pgn.source}"`,
      {
        hint: `Name the CSV source that holds the PGN column; sources: ${Object.keys(loaded.config.sources).join(", ")}.`,
      },
    );
  }
  if (raw.type !== "csv") {
    throw new OverstapError(
      "CONFIG_INVALID",
      `${where(loaded, "source")}: source "${pgn.source}" is a ${raw.type} source; PGNs are read from a CSV export only`,
      { hint: "Add the school administration's export as a `type: csv` source and name it here." },
    );
  }
  const parsed = CsvSourceConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new OverstapError(
      "CONFIG_INVALID",
      `${where(loaded, "source")}: source "${pgn.source}" is not a valid CSV source`,
      {
        hint: "Run `overstap doctor` or `overstap pull` to see what is wrong with that source's section.",
      },
    );
  }
  const config = parsed.data;
  const pulled = [
    ...Object.entries(config.columns).map(([field, header]) => [`columns.${field}`, header] as const),
    ...Object.entries(config.ext).map(([key, header]) => [`ext.${key}`, header] as const),
    ...(config.groups ? [["groups.column", config.groups.column] as const] : []),
  ];
  const clash = pulled.find(([, header]) => header?.toLowerCase() === pgn.column.toLowerCase());
  if (clash) {
    throw new OverstapError(
      "CONFIG_INVALID",
      `${where(loaded, "column")}: column "${pgn.column}" is also pulled by sources.${pgn.source}.${clash[0]}, which would store the PGN in the state store`,
      {
        hint: `Remove it from sources.${pgn.source} (and run \`overstap pull\` again): the PGN is read at plan time only, into memory.`,
      },
    );
  }
  return config;
}

function findColumn(header: string[], wanted: string): number[] {
  const names = header.map((h) => h.trim());
  const exact = names.flatMap((n, i) => (n === wanted ? [i] : []));
  return exact.length
    ? exact
    : names.flatMap((n, i) => (n.toLowerCase() === wanted.toLowerCase() ? [i] : []));
}

/**
 * Reads the PGN column of a CSV source's file into memory: person id → PGN (untrimmed, as in
 * the file; empty cells left out). Rows are split exactly as the CSV source splits them, so ids
 * match the pulled persons; unreadable rows and repeated ids are skipped (the pull reports them).
 * Errors name the file, line and column, never a value. The caller clears the map when done.
 *
 * @example
 * const pgns = await readPgnColumn(loaded, loaded.config.eckid.pgn);
 * try { … } finally { pgns.clear(); }
 */
export async function readPgnColumn(
  loaded: LoadedConfig,
  pgn: PgnColumn,
  progress?: ProgressFn,
): Promise<Map<string, string>> {
  const config = pgnSourceConfig(loaded, pgn);
  const file = path.resolve(loaded.baseDir, config.file);
  await stat(file).catch((err: unknown) => {
    throw new OverstapError(
      "SOURCE_UNREACHABLE",
      `sources.${pgn.source}.file: cannot read ${file} for the PGN column`,
      {
        cause: err,
        hint: "The plan reads the PGNs from the same export the pull read: keep the file in place until the plan is made.",
      },
    );
  });
  const pgns = new Map<string, string>();
  let assembler: RecordAssembler | undefined;
  let index: { id: number; pgn: number; width: number } | undefined;
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
        index = columnsOf(r.fields, config.columns.id, pgn, loaded, file);
        continue;
      }
      rows++;
      if (progress && rows % ROWS_PER_PROGRESS === 0) progress(rows);
      if ("error" in r || r.fields.length !== index.width) continue;
      const id = (r.fields[index.id] as string).trim();
      const value = r.fields[index.pgn] as string;
      if (id === "" || pgns.has(id) || value.trim() === "") continue;
      pgns.set(id, value);
    }
  };
  for await (const line of decodeLines(
    createReadStream(file, { highWaterMark: 1 << 16 }),
    config.encoding,
    file,
  )) {
    if (assembler === undefined) {
      if (line.text.trim() === "" && !line.tooLong) continue;
      assembler = new RecordAssembler(
        config.delimiter ?? detectDelimiter(line.text, `sources.${pgn.source}`),
      );
    }
    take(assembler.push(line));
  }
  if (assembler) take(assembler.end());
  progress?.(rows, rows);
  return pgns;
}

function columnsOf(
  header: string[],
  idColumn: string,
  pgn: PgnColumn,
  loaded: LoadedConfig,
  file: string,
): { id: number; pgn: number; width: number } {
  const shown = header.map((h) => JSON.stringify(h.trim())).join(", ");
  const one = (wanted: string, key: string, at: string): number => {
    const found = findColumn(header, wanted);
    if (found.length === 1) return found[0] as number;
    throw new OverstapError(
      "CONFIG_INVALID",
      found.length
        ? `${at}: column "${wanted}" appears ${found.length} times in the header of ${file}`
        : `${at}: column "${wanted}" is not in the header of ${file}`,
      {
        hint: `The header has: ${shown}.${key === "pgn" ? " Name the column that holds the BSN or onderwijsnummer." : ""}`,
      },
    );
  };
  return {
    id: one(idColumn, "id", `sources.${pgn.source}.columns.id`),
    pgn: one(pgn.column, "pgn", where(loaded, "column")),
    width: header.length,
  };
}
