import path from "node:path";
import type { Command } from "commander";
import { planRollback } from "../execute/rollback.js";
import { type LoadedPlan, writePlan } from "../plan/plan-file.js";
import { planMac } from "../plan/seal.js";
import { action } from "./action.js";
import { say } from "./output.js";
import { printPlan } from "./plan.js";
import { openProject, type Project } from "./project.js";

/** Builds and saves the inverse plan of a run. */
export async function rollbackRun(
  project: Project,
  runId: string,
  options: { out?: string; force?: boolean } = {},
): Promise<LoadedPlan> {
  const plan = await planRollback({
    runId,
    config: project.loaded.config,
    configHash: project.loaded.hash,
    store: project.store,
    target: await project.target(),
    force: options.force ?? false,
  });
  const file =
    options.out ??
    path.join(
      path.dirname(path.resolve(project.loaded.baseDir, project.loaded.config.state.sqlite)),
      "plans",
      `rollback-${runId}.plan`,
    );
  const seal = await project.seal();
  const hash = await writePlan(file, plan, seal);
  return { ...plan, file, hash, mac: planMac(seal.key, hash) };
}

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
