import { OverstapError } from "../../src/errors.js";
import type { CsvSourceConfig } from "./config.js";

/** Where each configured column is in the file: field → index, for columns, ext and the group column. */
export interface ColumnIndex {
  columns: Array<{ field: string; header: string; index: number }>;
  ext: Array<{ key: string; header: string; index: number }>;
  group: { header: string; index: number } | null;
  width: number;
}

const DELIMITERS = [";", ",", "\t"] as const;

/** Picks the delimiter that occurs most often outside quotes in the header line. */
export function detectDelimiter(header: string, where: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of header) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked as [[string, number], [string, number]];
  if (best[1] === 0) return ",";
  if (best[1] === second[1]) {
    throw new OverstapError(
      "CONFIG_INVALID",
      `${where}.delimiter: cannot tell the delimiter from the header line`,
      {
        hint: 'Set delimiter: ";" (or "," or tab) in the configuration.',
      },
    );
  }
  return best[0];
}

/**
 * Finds every configured column in the header (exact name, else case-insensitive). A missing or
 * ambiguous column is a configuration error naming the key and the column.
 */
export function indexColumns(
  header: string[],
  config: CsvSourceConfig,
  where: string,
  file: string,
): ColumnIndex {
  const names = header.map((h) => h.trim());
  const find = (wanted: string, key: string): number => {
    const exact = names.flatMap((n, i) => (n === wanted ? [i] : []));
    const loose = exact.length
      ? exact
      : names.flatMap((n, i) => (n.toLowerCase() === wanted.toLowerCase() ? [i] : []));
    if (loose.length === 1) return loose[0] as number;
    const shown = headerForMessage(names);
    throw new OverstapError(
      "CONFIG_INVALID",
      loose.length
        ? `${where}.${key}: column "${wanted}" appears ${loose.length} times in the header of ${file}`
        : `${where}.${key}: column "${wanted}" is not in the header of ${file}`,
      { hint: `The header has: ${shown}.${delimiterHint(names, config.delimiter, where)}` },
    );
  };
  const columns = Object.entries(config.columns).flatMap(([field, header]) =>
    header === undefined ? [] : [{ field, header, index: find(header, `columns.${field}`) }],
  );
  const ext = Object.entries(config.ext).map(([key, header]) => ({
    key,
    header,
    index: find(header, `ext.${key}`),
  }));
  const group = config.groups
    ? { header: config.groups.column, index: find(config.groups.column, "groups.column") }
    : null;
  return { columns, ext, group, width: header.length };
}

/** When the header came out as one column holding another delimiter: which one it probably is. */
function delimiterHint(names: string[], configured: string | undefined, where: string): string {
  if (names.length !== 1) return "";
  const likely = DELIMITERS.find((d) => d !== configured && (names[0] ?? "").includes(d));
  if (likely === undefined) return "";
  const shown = likely === "\t" ? "tab" : likely;
  return ` It is one column: the file looks ${JSON.stringify(shown)}-separated; set ${where}.delimiter: ${JSON.stringify(shown)}.`;
}

/** Longest header shown in a message: a header line that swallowed data rows must not print them. */
const SHOWN_HEADER_CHARS = 200;

/** The header's names for a message: at most {@link SHOWN_HEADER_CHARS} characters, never a row after it. */
function headerForMessage(names: readonly string[]): string {
  const shown = names.map((n) => JSON.stringify(n)).join(", ");
  return shown.length > SHOWN_HEADER_CHARS ? `${shown.slice(0, SHOWN_HEADER_CHARS)}… (cut)` : shown;
}
