import { type ErrorCode, toOverstapError } from "../errors.js";
import { colourEnabled } from "../report/style.js";

/** Global options every command sees. */
export interface GlobalOptions {
  config: string;
  debug?: boolean;
  quiet?: boolean;
  json?: boolean;
  color?: boolean;
}

/** Exit codes: the contract scripts rely on. */
export const EXIT = { ok: 0, error: 1, changes: 2, refused: 3, interrupted: 130 } as const;

const REFUSED: ReadonlySet<ErrorCode> = new Set([
  "SAFETY_THRESHOLD",
  "SAFETY_DELETES",
  "SAFETY_IDENTITY_CHANGE",
  "SAFETY_ADOPTION",
  "PLAN_STALE",
  "PLAN_TAMPERED",
  "PLAN_FOREIGN",
  "PLAN_UNAPPROVED",
  "STAGE_ORDER",
]);

/** True when colour output is wanted: a terminal, no NO_COLOR, no --no-color. */
export function useColor(
  opts: Pick<GlobalOptions, "color">,
  stream: NodeJS.WriteStream = process.stdout,
): boolean {
  return opts.color !== false && colourEnabled(stream);
}

/** Writes a line to stdout unless --quiet. */
export function say(opts: Pick<GlobalOptions, "quiet">, text: string): void {
  if (!opts.quiet) process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

/** Writes a JSON document to stdout. */
export function sayJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Prints an error as one clear paragraph (code, message, what to do next; the stack only with
 * --debug) and returns the exit code: 3 for refusals by a safety rail or a stale plan, 130 for a run
 * stopped by SIGINT or SIGTERM, else 1.
 */
export function reportError(err: unknown, opts: Pick<GlobalOptions, "debug" | "json">): number {
  const e = toOverstapError(err);
  const exit = REFUSED.has(e.code)
    ? EXIT.refused
    : e.code === "RUN_INTERRUPTED"
      ? EXIT.interrupted
      : EXIT.error;
  if (opts.json) {
    process.stdout.write(
      `${JSON.stringify({ error: { code: e.code, message: e.message, hint: e.hint } }, null, 2)}\n`,
    );
  } else {
    const label = exit === EXIT.refused ? "Refused" : exit === EXIT.interrupted ? "Interrupted" : "Error";
    process.stderr.write(`${label} [${e.code}]: ${e.message}\n`);
    if (e.hint) process.stderr.write(`${e.hint}\n`);
  }
  if (opts.debug)
    process.stderr.write(`${(e.cause instanceof Error ? e.cause.stack : undefined) ?? e.stack}\n`);
  return exit;
}
