import type { SourceConnector, SourceEvent, SourceReadOptions } from "../../src/model/connector.js";
import { CHECKPOINT_EVERY, sourceFile } from "../file-source.js";
import type { JsonSourceConfig } from "./config.js";
import { jsonElements } from "./elements.js";
import { parseRecord } from "./record.js";

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
  const source = sourceFile(config.file, where);
  const { file, label } = source;
  return {
    name: where.name,
    async *read(options: SourceReadOptions = {}): AsyncGenerator<SourceEvent> {
      await source.checkReadable();
      const seen = { person: new Map<string, number>(), group: new Map<string, number>() };
      let records = 0;
      yield { type: "reset" };
      for await (const element of jsonElements(source.open(), file)) {
        records += 1;
        const at = `${label}:${element.line} (#${element.index + 1})`;
        const result = element.text.includes("\ufffd")
          ? { invalid: true as const, reason: "invalid UTF-8 (or U+FFFD)" }
          : parseRecord(element.text, where.name);
        if ("invalid" in result) {
          // A later record of this kind and id is a duplicate too: which of the two is the
          // person (or group) is for the school to say, not for the record that happens to parse.
          if (result.id !== undefined && result.kind && !seen[result.kind].has(result.id))
            seen[result.kind].set(result.id, element.line);
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
