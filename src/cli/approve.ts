import type { Command } from "commander";
import { approvePlan } from "../app/approve.js";
import { openProject } from "../app/project.js";
import { action } from "./action.js";
import { say, sayJson } from "./output.js";

/** Registers `overstap approve`. */
export function register(program: Command): void {
  program
    .command("approve")
    .description("record that this plan, by its fingerprint, was approved (see approval: required)")
    .argument("<plan>", "the plan file the board approved")
    .requiredOption("--by <name>", "who approved it (name and role, as on the signed report)")
    .option("--fingerprint <fp>", "the fingerprint on the signed report; refused if the plan's differs")
    .addHelpText(
      "after",
      '\nExample:\n  overstap approve pilot.plan --by "J. de Vries, bestuurder" --fingerprint K7QF-2M9D-X4TB-H1WZ',
    )
    .action(
      action(async (opts, file: string) => {
        const project = await openProject(opts.config);
        try {
          const { fingerprint, approval } = await approvePlan(project, file, {
            by: String(opts.by),
            ...(opts.fingerprint ? { fingerprint: String(opts.fingerprint) } : {}),
          });
          if (!approval) {
            say(
              opts,
              `The plan's fingerprint is ${fingerprint}, not ${opts.fingerprint}: this is not the plan that was approved.`,
            );
            return 3;
          }
          if (opts.json) sayJson(approval);
          else
            say(
              opts,
              `Recorded: ${approval.by} approved ${file} (fingerprint ${fingerprint}) at ${approval.at}.`,
            );
          return 0;
        } finally {
          await project.close();
        }
      }),
    );
}
