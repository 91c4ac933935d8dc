import type { Command } from "commander";
import { applyFile } from "../app/apply-plan.js";
import { openProject } from "../app/project.js";
import { planFingerprint } from "../plan/fingerprint.js";
import type { LoadedPlan } from "../plan/plan-file.js";
import { action } from "./action.js";
import { failureAdvice } from "./advice.js";
import { confirmRollbackDeletes } from "./confirm.js";
import { commandLine } from "./hint.js";
import { type GlobalOptions, say, sayJson } from "./output.js";
import { steps } from "./progress.js";
import { stopOnSignals } from "./signals.js";

/** The first line `apply` prints: which plan, by its fingerprint, so it can be checked against the approved one. */
export function planLine(plan: LoadedPlan): string {
  const what =
    plan.header.kind === "rollback"
      ? `rollback of run ${plan.header.rollbackOf}`
      : `stage ${plan.header.stage}`;
  return `Applying ${plan.file} (${what}, ${plan.operations.length} operations), fingerprint ${planFingerprint(plan.hash)}`;
}

/** The exact command that resumes a run of `file` with the same flags as this apply. */
function resumeCommand(opts: GlobalOptions & Record<string, unknown>, file: string): (id: string) => string {
  const flags = [
    ...(opts.allowDeletes ? ["--allow-deletes"] : []),
    ...(opts.acceptIdentityChanges ? ["--accept-identity-changes"] : []),
    ...(opts.force ? ["--force"] : []),
    ...(typeof opts.by === "string" ? ["--by", opts.by] : []),
  ];
  return (id) => commandLine(opts, "apply", file, "--resume", id, ...flags);
}

/** Registers `overstap apply`. */
export function register(program: Command): void {
  program
    .command("apply")
    .description("apply a saved plan exactly; refuses stale or edited plans")
    .argument("<plan>", "the plan file written by `overstap plan` or `overstap rollback`")
    .option("--resume <run>", "finish an interrupted run of this plan")
    .option("--allow-deletes", "allow the plan's deletes")
    .option(
      "--accept-identity-changes",
      "allow changes of uid, schacHomeOrganization, eduPersonPrincipalName or eckId",
    )
    .option(
      "--accept-adoptions",
      "allow the plan to take over accounts and groups Overstap does not manage (listed as adoptions)",
    )
    .option("--force", "apply even if the previous stage has not completed")
    .option("--by <name>", "who applies, recorded on the run beside the OS user and host (team mode)")
    .option("--yes", "confirm a rollback's deletes without asking (for scripts; --allow-deletes does too)")
    .addHelpText(
      "after",
      "\nCtrl-C (or SIGTERM) stops a run cleanly after the operations in flight and prints the command that\nresumes it.\n\nExamples:\n  overstap apply pilot.plan\n  overstap apply pilot.plan --resume 20261129-141503-7f3a",
    )
    .action(
      action(async (opts, file: string) => {
        const project = await openProject(opts.config);
        const stop = stopOnSignals();
        try {
          const resume = resumeCommand(opts, file);
          const run = await applyFile(project, file, {
            ...(opts.resume ? { resume: opts.resume as string } : {}),
            allowDeletes: opts.allowDeletes === true,
            acceptIdentityChanges: opts.acceptIdentityChanges === true,
            acceptAdoptions: opts.acceptAdoptions === true,
            force: opts.force === true,
            ...(opts.by ? { by: opts.by as string } : {}),
            progress: steps(opts),
            onPlan: async (plan) => {
              if (!opts.json) say(opts, planLine(plan));
              await confirmRollbackDeletes(plan, project.loaded.config.safety, {
                yes: opts.yes === true || opts.allowDeletes === true,
              });
            },
            signal: stop.signal,
            resumeCommand: resume,
          });
          if (opts.json) sayJson(run);
          else {
            const replan =
              run.kind === "rollback"
                ? commandLine(opts, "rollback", run.rollbackOf ?? "RUN", "--out", "undo.plan")
                : commandLine(opts, "plan", "--stage", run.stage, "--out", `${run.stage}.plan`);
            const advice = await failureAdvice(project.store, run, {
              resume: resume(run.id),
              replan,
              report: commandLine(opts, "report", run.id, "--format", "md"),
            });
            for (const line of advice) say(opts, line);
            say(opts, `To undo this run: ${commandLine(opts, "rollback", run.id, "--out", "undo.plan")}`);
          }
          return run.status === "completed" ? 0 : 1;
        } finally {
          stop.dispose();
          await project.close();
        }
      }),
    );
}
