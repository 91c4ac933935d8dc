import { OverstapError } from "../../src/errors.js";
import type { SourceConnector, SourceEvent, SourceReadOptions } from "../../src/model/connector.js";
import type { Group } from "../../src/model/group.js";
import { CHECKPOINT_EVERY, sourceFile } from "../file-source.js";
import type { CsvSourceConfig } from "./config.js";
import { type ColumnIndex, detectDelimiter, indexColumns } from "./header.js";
import { decodeLines } from "./lines.js";
import { RecordAssembler } from "./records.js";
import { rowToPerson } from "./row.js";

interface GroupAcc {
  value: string;
  members: string[];
  brins: Set<string>;
}

/**
 * A CSV export of a school administration system as a source: a `reset`, one `person` per good
 * row, an `invalid` event naming file, line and column for every bad row, one `group` per
 * distinct value of the group column, a `checkpoint` every 5,000 rows and a final one with
 * `done: true`. The file is streamed: memory grows with the number of ids, not the file size.
 */
export function createCsvSource(
  config: CsvSourceConfig,
  where: { name: string; path: string; baseDir: string },
): SourceConnector {
  const source = sourceFile(config.file, where);
  const { file, label } = source;
  return {
    name: where.name,
    async *read(options: SourceReadOptions = {}): AsyncGenerator<SourceEvent> {
      await source.checkReadable();
      const lines = decodeLines(source.open(), config.encoding, file);
      let assembler: RecordAssembler | null = null;
      let index: ColumnIndex | null = null;
      const seen = new Map<string, number>();
      const groups = new Map<string, GroupAcc>();
      let rows = 0;
      const record = (line: number) => `${label}:${line}`;

      function* handle(results: ReturnType<RecordAssembler["push"]>): Generator<SourceEvent> {
        for (const r of results) {
          if (!index) {
            if ("error" in r) {
              throw new OverstapError(
                "SOURCE_INVALID",
                `${file}:${r.line}: the header line cannot be read: ${r.error}`,
                {
                  hint: "The first line must hold the column names.",
                },
              );
            }
            index = indexColumns(r.fields, config, where.path, file);
            yield { type: "reset" };
            continue;
          }
          rows += 1;
          if ("error" in r) {
            yield {
              type: "invalid",
              record: record(r.line),
              ...(r.column === undefined ? {} : { field: `field ${r.column}` }),
              reason: r.error,
            };
          } else {
            const result = rowToPerson(r.fields, index, config, where.name);
            if (!("person" in result)) {
              const id = readableId(r.fields, index);
              // A later row with this id is a duplicate too: which of the two is the person is
              // for the school to say, not for the row that happens to be readable.
              if (id !== undefined && !seen.has(id)) seen.set(id, r.line);
              yield {
                type: "invalid",
                record: record(r.line),
                ...(id === undefined ? {} : { id }),
                ...(result.field ? { field: result.field } : {}),
                reason: result.reason,
              };
            } else {
              const { person, group } = result;
              const first = seen.get(person.id);
              if (first !== undefined) {
                yield {
                  type: "invalid",
                  record: record(r.line),
                  field: config.columns.id,
                  reason: `duplicate id: the same ${config.columns.id} as line ${first}`,
                };
              } else {
                seen.set(person.id, r.line);
                if (group !== null && config.groups) {
                  const id = `${config.groups.prefix}${group}`;
                  const acc = groups.get(id) ?? { value: group, members: [], brins: new Set<string>() };
                  acc.members.push(person.id);
                  if (person.brin) acc.brins.add(person.brin);
                  groups.set(id, acc);
                  person.groups = [id];
                }
                yield { type: "person", person };
              }
            }
          }
          if (rows % CHECKPOINT_EVERY === 0) {
            options.signal?.throwIfAborted();
            options.progress?.(rows);
            yield { type: "checkpoint", checkpoint: { rows } };
          }
        }
      }

      for await (const line of lines) {
        if (!assembler) {
          if (line.text.trim() === "" && !line.tooLong) continue;
          assembler = new RecordAssembler(config.delimiter ?? detectDelimiter(line.text, where.path));
        }
        yield* handle(assembler.push(line));
      }
      if (assembler) yield* handle(assembler.end());
      if (!index) {
        throw new OverstapError("SOURCE_INVALID", `${file}: the file is empty (no header line)`, {
          hint: "Export the file again, with the column names on the first line.",
        });
      }
      for (const [id, acc] of groups) {
        const group: Group = {
          source: where.name,
          id,
          name: id,
          displayName: acc.value,
          kind: config.groups?.kind ?? "class",
          members: acc.members,
          owners: [],
          ext: {},
          ...(acc.brins.size === 1 ? { brin: [...acc.brins][0] as string } : {}),
        };
        yield { type: "group", group };
      }
      options.progress?.(rows, rows);
      yield { type: "checkpoint", checkpoint: { rows }, done: true };
    },
  };
}

/** The row's id when it can be read cleanly, so the planner knows that person still exists. */
function readableId(fields: string[], index: ColumnIndex): string | undefined {
  if (fields.length !== index.width) return undefined;
  const column = index.columns.find((c) => c.field === "id");
  const value = column === undefined ? undefined : fields[column.index]?.trim();
  return value && !/[\p{Cc}\ufffd]/u.test(value) ? value : undefined;
}
