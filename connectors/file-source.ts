import { createReadStream, type ReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { OverstapError, toOverstapError } from "../src/errors.js";
import type { CheckFinding, SourceConnector, SourceEvent } from "../src/model/connector.js";

/** Records (rows) a file source reads between two checkpoints. */
export const CHECKPOINT_EVERY = 5000;

/** The file a file source (CSV, JSON) reads. */
export interface SourceFile {
  /** The absolute path. */
  file: string;
  /** The base name, as the source's records are labelled (`label:line`). */
  label: string;
  /** Fails with SOURCE_UNREACHABLE, naming the config path, when the file cannot be read. */
  checkReadable(): Promise<void>;
  /** The file as a stream of 64 KiB chunks. */
  open(): ReadStream;
}

/**
 * The file `configFile` names, resolved against the config file's folder; `where.path` is the
 * source's config path (`sources.las`), for messages.
 *
 * @example
 * const source = sourceFile("leerlingen.csv", { path: "sources.las", baseDir: "/srv/bestuur" });
 * await source.checkReadable();
 */
export function sourceFile(configFile: string, where: { path: string; baseDir: string }): SourceFile {
  const file = path.resolve(where.baseDir, configFile);
  return {
    file,
    label: path.basename(file),
    async checkReadable() {
      await stat(file).catch((err: unknown) => {
        throw new OverstapError("SOURCE_UNREACHABLE", `${where.path}.file: cannot read ${file}`, {
          cause: err,
          hint: "Check the path (relative paths start at the config file's folder) and the file's permissions.",
        });
      });
    },
    open: () => createReadStream(file, { highWaterMark: 1 << 16 }),
  };
}

/** Records `overstap doctor` reads from the start of a file source. */
export const SAMPLE_RECORDS = 100;

/**
 * What `overstap doctor` reports about a file source: the file opened and its first records
 * read with this configuration (header against the column map, record shape), without storing
 * anything. A source that cannot be read, or whose sample holds no readable record, fails; the
 * first unreadable record is named by record and field, never by value.
 * @example const findings = await sampleSource(createCsvSource(config, where), "leerlingen.csv")
 */
export async function sampleSource(source: SourceConnector, label: string): Promise<CheckFinding[]> {
  const read = { person: 0, group: 0 };
  let unreadable = 0;
  let first: Extract<SourceEvent, { type: "invalid" }> | undefined;
  try {
    for await (const ev of source.read({ full: true })) {
      if (ev.type === "person" || ev.type === "group") read[ev.type]++;
      else if (ev.type === "invalid") {
        unreadable++;
        first ??= ev;
      }
      if (read.person + read.group + unreadable >= SAMPLE_RECORDS) break;
    }
  } catch (err) {
    const e = toOverstapError(err, "SOURCE_INVALID");
    return [{ status: "failed", message: `[${e.code}] ${e.message}`, ...(e.hint ? { hint: e.hint } : {}) }];
  } finally {
    await source.close?.();
  }
  const total = read.person + read.group + unreadable;
  const sample = `${label}: the first ${total} record(s) read: ${read.person} person(s), ${read.group} group(s), ${unreadable} unreadable`;
  if (read.person + read.group === 0) {
    return [
      {
        status: "failed",
        message: first ? `${sample}; none readable` : `${label} holds no records`,
        ...(first
          ? { hint: `The first: ${first.record}${first.field ? ` [${first.field}]` : ""}: ${first.reason}.` }
          : {}),
      },
    ];
  }
  return [
    {
      status: "ok",
      message: `${sample}${first ? ` (the first: ${first.record}${first.field ? ` [${first.field}]` : ""}: ${first.reason})` : ""}`,
    },
  ];
}
