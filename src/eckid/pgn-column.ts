import { stat } from "node:fs/promises";
import path from "node:path";
import {
  type CsvSourceConfig,
  CsvSourceConfigSchema,
  pulledColumns,
  readCsvColumn,
} from "../../connectors/csv/index.js";
import type { LoadedConfig } from "../config/load.js";
import { OverstapError } from "../errors.js";
import type { ProgressFn } from "../model/connector.js";
import type { PgnColumn } from "./config.js";

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
  const clash = pulledColumns(config).find(
    ([, header]) => header?.toLowerCase() === pgn.column.toLowerCase(),
  );
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

/**
 * Reads the PGN column of a CSV source's file into memory through the CSV connector
 * (`readCsvColumn`): person id → PGN (untrimmed, as in the file; empty cells left out), with
 * ids that match the pulled persons. Errors name the file, line and column, never a value. The
 * caller clears the map when done.
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
  return readCsvColumn(
    config,
    { path: `sources.${pgn.source}`, baseDir: loaded.baseDir },
    {
      column: pgn.column,
      columnAt: where(loaded, "column"),
      hint: "Name the column that holds the BSN or onderwijsnummer.",
      ...(progress ? { progress } : {}),
    },
  );
}
