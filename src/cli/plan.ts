import path from "node:path";
import type { Command } from "commander";
import { resolveForPlan } from "../eckid/plan-step.js";
import { loadProfile, type Profile, validateEntry } from "../mapping/profile.js";
import type { ReviewItem } from "../model/review.js";
import { type LoadedPlan, writePlan } from "../plan/plan-file.js";
import { buildPlan } from "../plan/planner.js";
import { checkRails, enforceRails } from "../plan/safety.js";
import { renderDiffText } from "../report/diff-text.js";
import { action } from "./action.js";
import { EXIT, type GlobalOptions, say, sayJson, useColor } from "./output.js";
import { SILENT, type Steps, steps } from "./progress.js";
import { openProject, type Project } from "./project.js";

/** Attributes no two persons may share: a shared ECK iD would hand one pupil's data to another. */
const UNIQUE_ATTRIBUTES = ["uid", "mail", "eduPersonPrincipalName", "eckId"];

/** The federation profile the project validates against, or undefined for `profile: none`. */
export async function projectProfile(project: Project): Promise<Profile | undefined> {
  const { loaded } = project;
  const name = loaded.config.profile;
  if (name === "none") return undefined;
  return loadProfile(/\.ya?ml$/.test(name) ? path.resolve(loaded.baseDir, name) : name);
}

/** Makes and saves the plan of a stage; returns it as read back from the file. */
export async function planStage(
  project: Project,
  stage: string,
  out?: string,
  progress: Steps = SILENT,
): Promise<LoadedPlan> {
  const { loaded, store } = project;
  const profile = await projectProfile(project);
  const eckIdReview = new Map<string, ReviewItem[]>();
  const eckIds = await resolveForPlan(project, progress, { review: eckIdReview });
  const plan = await buildPlan({
    ...(profile || eckIds
      ? {
          validate: (attrs: Record<string, string[]>, record: string) => [
            ...(profile ? validateEntry(profile, attrs, record) : []),
            ...(eckIdReview.get(record) ?? []),
          ],
        }
      : {}),
    ...(eckIds ? { eckIds } : {}),
    config: loaded.config,
    configHash: loaded.hash,
    mapper: await project.mapping(),
    store,
    target: await project.target(),
    stage,
    uniqueAttributes: UNIQUE_ATTRIBUTES,
    progress: (step) => progress.step(step === "target" ? "read target" : "map persons"),
  });
  progress.finish(`planned ${plan.operations.length.toLocaleString("en-US")} operations`);
  const file =
    out ??
    path.join(
      path.dirname(path.resolve(loaded.baseDir, loaded.config.state.sqlite)),
      "plans",
      `${stage}-${plan.header.createdAt.replace(/[-:]/g, "").slice(0, 15)}.plan`,
    );
  const hash = await writePlan(file, plan);
  return { ...plan, file, hash };
}

/** Prints a plan as a diff (or JSON), with the safety rails it will meet at apply. */
export function printPlan(opts: GlobalOptions, plan: LoadedPlan, limit?: number): void {
  if (opts.json) {
    sayJson({
      file: plan.file,
      hash: plan.hash,
      header: plan.header,
      operations: plan.operations,
      review: plan.review,
    });
    return;
  }
  say(
    opts,
    renderDiffText(plan.header, plan.operations, plan.review, {
      color: useColor(opts),
      ...(limit ? { limit } : {}),
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
          );
          printPlan(opts, plan, opts.limit as number);
          if (!opts.json)
            say(
              opts,
              `Saved the plan to ${plan.file}\nApply exactly this plan with: overstap apply ${plan.file}`,
            );
          const thresholds = checkRails(plan.header.summary, project.loaded.config.safety, {
            allowDeletes: true,
            acceptIdentityChanges: true,
          });
          enforceRails(thresholds);
          return opts.detailedExitcode && plan.operations.length > 0 ? EXIT.changes : EXIT.ok;
        } finally {
          await project.close();
        }
      }),
    );
}
