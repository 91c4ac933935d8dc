import type { Steps } from "../app/steps.js";
import { createProgress, type Progress } from "../report/progress.js";
import type { GlobalOptions } from "./output.js";

/**
 * Progress for a command: a redrawn line with counts, rate and ETA on a terminal, a plain line
 * every few seconds elsewhere, JSON lines with --json, nothing with --quiet. On stderr, so
 * stdout stays clean for output and --json.
 */
export function steps(opts: Pick<GlobalOptions, "quiet" | "json">): Steps {
  let current: Progress | undefined;
  let label = "";
  let count = 0;
  const finish = (summary?: string) => {
    current?.done(summary ?? `${label}: ${count.toLocaleString("en-US")} done`);
    current = undefined;
  };
  return {
    step(newLabel, total) {
      finish();
      label = newLabel;
      count = 0;
      const p = createProgress({
        label: newLabel,
        ...(total !== undefined ? { total } : {}),
        quiet: opts.quiet === true,
        json: opts.json === true,
      });
      current = p;
      return (done, t) => {
        count = done;
        p.update(done, t);
      };
    },
    finish,
  };
}
