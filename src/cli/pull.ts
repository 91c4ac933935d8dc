import type { Command } from "commander";
import { openProject } from "../app/project.js";
import { pullSources } from "../app/pull.js";
import { action } from "./action.js";
import { sayJson } from "./output.js";
import { steps } from "./progress.js";

/** Registers `overstap pull`. */
export function register(program: Command): void {
  program
    .command("pull")
    .description("snapshot the sources into the state store (incremental where the source allows it)")
    .option("--source <name>", "pull only this source")
    .option("--full", "ignore checkpoints and delta links; read everything")
    .addHelpText("after", "\nExamples:\n  overstap pull\n  overstap pull --source entra --full")
    .action(
      action(async (opts) => {
        const project = await openProject(opts.config);
        try {
          const infos = await pullSources(project, {
            ...(opts.source ? { source: opts.source as string } : {}),
            full: opts.full === true,
            progress: steps(opts),
          });
          if (opts.json) sayJson(infos);
          return infos.every((i) => i.complete) ? 0 : 1;
        } finally {
          await project.close();
        }
      }),
    );
}
