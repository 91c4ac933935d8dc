import { type Command, InvalidArgumentError } from "commander";
import { planStage, thresholdsExceeded } from "../app/plan-stage.js";
import { openProject } from "../app/project.js";
import { leftOutRecords } from "../model/review.js";
import { planFingerprint } from "../plan/fingerprint.js";
import { type LoadedPlan, readPlan, readPlanOperations } from "../plan/plan-file.js";
import type { SavedPlan } from "../plan/planner.js";
import { enforceRails } from "../plan/safety.js";
import { renderDiffText } from "../report/diff-text.js";
import { shellQuote } from "../report/shell-quote.js";
import { action } from "./action.js";
import { EXIT, type GlobalOptions, say, sayJson, useColor } from "./output.js";
import { steps } from "./progress.js";

/**
 * Prints a saved plan as a diff of its first `limit` operations (or, with --json, all of it).
 * A plan whose operations are not in memory has them read back from its file.
 */
export async function printPlan(
  opts: GlobalOptions,
  plan: SavedPlan | LoadedPlan,
  limit = 200,
): Promise<void> {
  const inMemory = typeof plan.operations === "number" ? undefined : plan.operations;
  if (opts.json) {
    sayJson({
      file: plan.file,
      hash: plan.hash,
      fingerprint: planFingerprint(plan.hash),
      header: plan.header,
      operations: inMemory ?? (await readPlan(plan.file)).operations,
      review: plan.review,
    });
    return;
  }
  const shown = inMemory?.slice(0, limit) ?? (await readPlanOperations(plan.file, limit));
  say(
    opts,
    renderDiffText(plan.header, shown, plan.review, {
      color: useColor(opts),
      limit,
      fingerprint: planFingerprint(plan.hash),
    }),
  );
}

/** Registers `overstap plan`. */
export function register(program: Command): void {
  program
    .command("plan")
    .description("compute what a stage would change in the target; writes only the plan file")
    .requiredOption("--stage <name>", "the stage to plan")
    .option("--out <file>", "where to save the plan (default .overstap/plans/STAGE-TIME.plan)")
    .option("--detailed-exitcode", "exit 2 when the plan has changes, 0 when there are none")
    .option("--limit <n>", "operations to show in full", (v) => Number.parseInt(v, 10), 200)
    .option(
      "--threads <n>",
      "threads that map persons (default: up to 4 for 500,000+ persons; 1 maps in the main thread)",
      threadCount,
    )
    .addHelpText(
      "after",
      "\nExamples:\n  overstap plan --stage pilot --out pilot.plan\n  overstap plan --stage pilot --json | jq .header.summary",
    )
    .action(
      action(async (opts) => {
        const project = await openProject(opts.config);
        try {
          const plan = await planStage(
            project,
            opts.stage as string,
            opts.out as string | undefined,
            steps(opts),
            opts.threads as number | undefined,
          );
          await printPlan(opts, plan, opts.limit as number);
          const thresholds = thresholdsExceeded(project, plan);
          const leftOut = leftOutWarning(plan, project.loaded.config.report.maxLeftOutPercent);
          if (leftOut) process.stderr.write(`${leftOut}\n`);
          if (!opts.json)
            say(
              opts,
              thresholds.length > 0
                ? `Saved the REFUSED plan to ${plan.file} for review only: apply will refuse it, and its report says so.`
                : `Saved the plan to ${plan.file}\nApply exactly this plan with: overstap apply ${plan.file}`,
            );
          enforceRails(thresholds);
          return opts.detailedExitcode && plan.operations > 0 ? EXIT.changes : EXIT.ok;
        } finally {
          await project.close();
        }
      }),
    );
}

/**
 * A warning when more of the stage is left out with errors than `report.maxLeftOutPercent`
 * allows (the board report then says "not ready"), or undefined.
 */
function leftOutWarning(plan: SavedPlan, maxPercent: number): string | undefined {
  const leftOut = leftOutRecords(plan.review);
  const base = plan.header.summary.population.person + leftOut;
  const percent = base > 0 ? (leftOut / base) * 100 : 0;
  if (percent <= maxPercent) return undefined;
  return `Warning: ${leftOut.toLocaleString("en-US")} of ${base.toLocaleString("en-US")} persons (${percent.toFixed(1)}%) are left out with errors, more than report.maxLeftOutPercent (${maxPercent}%) allows: the board report will say the plan is not ready. The review list says why: overstap report ${shellQuote(plan.file)} --format csv`;
}

function threadCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new InvalidArgumentError("give a whole number of threads from 1 to 64.");
  }
  return n;
}
