import path from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import { resolveForPlan } from "../eckid/plan-step.js";
import { loadProfile, type Profile } from "../mapping/profile.js";
import type { ReviewItem } from "../model/review.js";
import { planFingerprint } from "../plan/fingerprint.js";
import { loadMappingStep, type MappingRecipe } from "../plan/mapping-recipe.js";
import { type LoadedPlan, readPlan, readPlanOperations } from "../plan/plan-file.js";
import { planToFile, type SavedPlan } from "../plan/planner.js";
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
  const name = profileOf(project);
  return name === undefined ? undefined : loadProfile(name);
}

/** The project's profile as `loadProfile` takes it (a built-in name or a resolved file), or undefined for `profile: none`. */
function profileOf(project: Project): string | undefined {
  const { loaded } = project;
  const name = loaded.config.profile;
  if (name === "none") return undefined;
  return /\.ya?ml$/.test(name) ? path.resolve(loaded.baseDir, name) : name;
}

/**
 * Makes and saves the plan of a stage; its operations go straight to the file. Persons are
 * mapped in worker threads when the snapshot is large, or always with `threads` ≥ 2 (1 maps in
 * the main thread).
 */
export async function planStage(
  project: Project,
  stage: string,
  out?: string,
  progress: Steps = SILENT,
  threads?: number,
): Promise<SavedPlan> {
  const { loaded, store } = project;
  const eckIdReview = new Map<string, ReviewItem[]>();
  const eckIds = await resolveForPlan(project, progress, { review: eckIdReview });
  const now = new Date();
  const file =
    out ??
    path.join(
      path.dirname(path.resolve(loaded.baseDir, loaded.config.state.sqlite)),
      "plans",
      `${stage}-${now.toISOString().replace(/[-:]/g, "").slice(0, 15)}.plan`,
    );
  const profile = profileOf(project);
  const recipe: MappingRecipe = {
    mappingFile: path.resolve(loaded.baseDir, loaded.config.mapping),
    ...(profile ? { profile } : {}),
    ...(eckIdReview.size ? { eckIdReview } : {}),
  };
  const { mapper, validate } = await loadMappingStep(recipe);
  const plan = await planToFile(
    {
      ...(validate ? { validate } : {}),
      workers: threads === undefined ? { recipe } : { recipe, threads, minPersons: 0 },
      ...(eckIds ? { eckIds } : {}),
      config: loaded.config,
      configHash: loaded.hash,
      mapper,
      store,
      target: () => project.target(),
      stage,
      now,
      uniqueAttributes: UNIQUE_ATTRIBUTES,
      progress: (step) => progress.step(step === "target" ? "read target" : "map persons"),
    },
    file,
    await project.seal(),
  );
  progress.finish(`planned ${plan.operations.toLocaleString("en-US")} operations`);
  return plan;
}

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
          const thresholds = checkRails(plan.header.summary, project.loaded.config.safety, {
            allowDeletes: true,
            acceptIdentityChanges: true,
            acceptAdoptions: true,
          });
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

function threadCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new InvalidArgumentError("give a whole number of threads from 1 to 64.");
  }
  return n;
}
