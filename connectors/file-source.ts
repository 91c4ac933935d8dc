import { createReadStream, type ReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { OverstapError } from "../src/errors.js";

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
