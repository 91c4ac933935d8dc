import type { Command } from "commander";
import { openProject } from "../app/project.js";
import { rollbackRun } from "../app/rollback.js";
import { action } from "./action.js";
import { say } from "./output.js";
import { printPlan } from "./plan.js";

/** Registers `overstap rollback`. */
export function register(program: Command): void {
  program
    .command("rollback")
    .description("build the inverse plan of a run from its journal; apply it like any plan")
    .argument("<run>", "the run to undo (see `overstap runs`)")
    .option("--out <file>", "where to save the rollback plan")
    .option("--force", "also restore objects changed by someone else since the run")
    .addHelpText(
      "after",
      "\nExample:\n  overstap rollback 20261129-141503-7f3a --out undo.plan && overstap apply undo.plan",
    )
    .action(
      action(async (opts, runId: string) => {
        const project = await openProject(opts.config);
        try {
          const plan = await rollbackRun(project, runId, {
            ...(opts.out ? { out: opts.out as string } : {}),
            force: opts.force === true,
          });
          await printPlan(opts, plan);
          if (!opts.json)
            say(opts, `Saved the rollback plan to ${plan.file}\nApply it with: overstap apply ${plan.file}`);
          return 0;
        } finally {
          await project.close();
        }
      }),
    );
}
