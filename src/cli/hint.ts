import { shellQuote } from "../report/shell-quote.js";
import type { GlobalOptions } from "./output.js";

/** The configuration file `overstap` reads when no `--config` is given. */
export const DEFAULT_CONFIG = "overstap.yaml";

/**
 * The exact command line that runs `args` again with the same configuration, for hints the user
 * can copy: `overstap -c other.yaml apply pilot.plan --resume ID`.
 * @example commandLine({ config: "overstap.yaml" }, "apply", "pilot.plan") // "overstap apply pilot.plan"
 */
export function commandLine(opts: Pick<GlobalOptions, "config">, ...args: string[]): string {
  const config = opts.config === DEFAULT_CONFIG ? [] : ["-c", opts.config];
  return ["overstap", ...config, ...args].map(shellQuote).join(" ");
}
