import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import type { ConnectorContext } from "../../src/config/connector-context.js";
import { toOverstapError } from "../../src/errors.js";
import type { CheckFinding } from "../../src/model/connector.js";
import { LdifTargetConfigSchema } from "./config.js";
import { parseLdif } from "./parse.js";

/** Records `overstap doctor` parses from the start of an LDIF target. */
const SAMPLE = 1000;

/**
 * What `overstap doctor` reports about an LDIF target, without opening it (opening takes its lock
 * and may replay its change log): the file exists and its first records parse. A file that does
 * not exist fails: a plan would take it for an empty directory, which a mistyped path must not
 * silently become. The schema is not checked: an LDIF file has none.
 * @example const findings = await checkLdifTarget(config.target, ctx)
 */
export async function checkLdifTarget(raw: unknown, ctx: ConnectorContext): Promise<CheckFinding[]> {
  const config = ctx.parse(LdifTargetConfigSchema, raw);
  const file = path.resolve(ctx.baseDir, config.file);
  const info = await stat(file).catch(() => null);
  if (!info?.isFile())
    return [
      {
        status: "failed",
        message: `${ctx.path}.file: ${file} ${info ? "is not a file" : "does not exist"}`,
        hint: "Check the path (relative paths start at the config file's folder). For a directory that starts empty, create an empty file there first.",
      },
    ];
  let records = 0;
  try {
    for await (const _ of parseLdif(createReadStream(file), { source: file })) if (++records >= SAMPLE) break;
  } catch (err) {
    const e = toOverstapError(err, "TARGET_INVALID");
    return [{ status: "failed", message: `[${e.code}] ${e.message}`, ...(e.hint ? { hint: e.hint } : {}) }];
  }
  return [
    { status: "ok", message: `${file} exists; its first ${records} record(s) parse` },
    { status: "not checked", message: "schema: an LDIF file has none" },
  ];
}
