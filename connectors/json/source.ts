import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { OverstapError } from "../../src/errors.js";
import type { SourceConnector, SourceEvent, SourceReadOptions } from "../../src/model/connector.js";
import type { JsonSourceConfig } from "./config.js";
import { jsonElements } from "./elements.js";
import { parseRecord } from "./record.js";

/** Records between two checkpoints. */
export const CHECKPOINT_EVERY = 5000;

/**
 * A JSON array or JSON Lines file of persons and groups as a source: a `reset`, the valid
 * records, an `invalid` event (line or index, id, field path) per bad one, a `checkpoint` every
 * 5,000 records and a final one with `done: true`. A second record with the same kind and id is
 * invalid.
 */
export function createJsonSource(
  config: JsonSourceConfig,
  where: { name: string; path: string; baseDir: string },
): SourceConnector {
  const file = path.resolve(where.baseDir, config.file);
  const label = path.basename(file);
  return {
    name: where.name,
    async *read(options: SourceReadOptions = {}): AsyncGenerator<SourceEvent> {
      await stat(file).catch((err: unknown) => {
        throw new OverstapError("SOURCE_UNREACHABLE", `${where.path}.file: cannot read ${file}`, {
          cause: err,
          hint: "Check the path (relative paths start at the config file's folder) and the file's permissions.",
        });
      });
      const seen = { person: new Map<string, number>(), group: new Map<string, number>() };
      let records = 0;
      yield { type: "reset" };
      for await (const element of jsonElements(createReadStream(file, { highWaterMark: 1 << 16 }), file)) {
        records += 1;
        const at = `${label}:${element.line} (#${element.index + 1})`;
        const result = element.text.includes("\ufffd")
          ? { invalid: true as const, reason: "invalid UTF-8 (or U+FFFD)" }
          : parseRecord(element.text, where.name);
        if ("invalid" in result) {
          yield {
            type: "invalid",
            record: result.id === undefined ? at : `${at} id ${result.id}`,
            ...(result.id === undefined ? {} : { id: String(result.id) }),
            ...(result.field === undefined ? {} : { field: result.field }),
            reason: result.reason,
          };
        } else {
          const id = result.kind === "person" ? result.person.id : result.group.id;
          const first = seen[result.kind].get(id);
          if (first !== undefined) {
            yield {
              type: "invalid",
              record: `${at} id ${id}`,
              field: "id",
              reason: `duplicate ${result.kind} id: the same id as line ${first}`,
            };
          } else {
            seen[result.kind].set(id, element.line);
            yield result.kind === "person"
              ? { type: "person", person: result.person }
              : { type: "group", group: result.group };
          }
        }
        if (records % CHECKPOINT_EVERY === 0) {
          options.signal?.throwIfAborted();
          options.progress?.(records);
          yield { type: "checkpoint", checkpoint: { records } };
        }
      }
      options.progress?.(records, records);
      yield { type: "checkpoint", checkpoint: { records }, done: true };
    },
  };
}
