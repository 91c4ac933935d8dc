import type { Command } from "commander";
import { action } from "./action.js";
import { describeRun } from "./apply.js";
import { say, sayJson } from "./output.js";
import { openProject } from "./project.js";

/** Registers `overstap runs`. */
export function register(program: Command): void {
  program
    .command("runs")
    .description("list the runs (applies and rollbacks) and their state")
    .action(
      action(async (opts) => {
        const project = await openProject(opts.config);
        try {
          const runs = await project.store.listRuns();
          if (opts.json) sayJson(runs);
          else if (runs.length === 0) say(opts, "No runs yet.");
          else for (const r of runs) say(opts, describeRun(r));
          return 0;
        } finally {
          await project.close();
        }
      }),
    );
}
