import type { Command } from "commander";
import { type GlobalOptions, reportError } from "./output.js";

/**
 * Wraps a command's action: global options merged in, errors printed as one paragraph, and the
 * returned number (default 0) used as the exit code.
 */
export function action<A extends unknown[]>(
  fn: (opts: GlobalOptions & Record<string, unknown>, ...args: A) => Promise<number | undefined>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const opts = cmd.optsWithGlobals() as GlobalOptions & Record<string, unknown>;
    try {
      process.exitCode = (await fn(opts, ...(args.slice(0, cmd.registeredArguments.length) as A))) ?? 0;
    } catch (err) {
      process.exitCode = reportError(err, opts);
    }
  };
}
