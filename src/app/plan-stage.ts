import path from "node:path";
import { resolveForPlan } from "../eckid/plan-step.js";
import { OverstapError } from "../errors.js";
import { leftOutRecords, type ReviewItem } from "../model/review.js";
import { loadMappingStep, type MappingRecipe } from "../plan/perf/mapping-recipe.js";
import { planToFile, type SavedPlan } from "../plan/planner.js";
import { checkRails, type RailViolation } from "../plan/safety.js";
import { shellQuote } from "../report/shell-quote.js";
import { type Project, plansDir, profileOf } from "./project.js";
import { SILENT, type Steps } from "./steps.js";

/** Attributes no two persons may share: a shared ECK iD would hand one pupil's data to another. */
const UNIQUE_ATTRIBUTES = ["uid", "mail", "eduPersonPrincipalName", "eckId"];

/**
 * Makes and saves the plan of a stage, to `out` or to `STAGE-TIME.plan` in the project's plans
 * folder ({@link plansDir}); its operations go straight to the file. Persons are mapped in
 * worker threads when the snapshot is large, or always with `threads` ≥ 2 (1 maps in the main
 * thread). Refused (RUN_IN_PROGRESS) while an apply on the target runs in team mode.
 * @example const plan = await planStage(project, "pilot", "pilot.plan")
 */
export async function planStage(
  project: Project,
  stage: string,
  out?: string,
  progress: Steps = SILENT,
  threads?: number,
): Promise<SavedPlan> {
  const { loaded, store } = project;
  await project.locks.assertFree(project.targetId);
  const eckIdReview = new Map<string, ReviewItem[]>();
  const eckIds = await resolveForPlan(project, progress, { review: eckIdReview });
  const now = new Date();
  const file =
    out ??
    path.join(plansDir(loaded), `${stage}-${now.toISOString().replace(/[-:]/g, "").slice(0, 15)}.plan`);
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
  requireSelection(plan);
  return plan;
}

/**
 * Refuses a plan whose stage selects no one (STAGE_EMPTY): a selection that matches nobody, or
 * one whose every person is left out with errors, would otherwise read as "no changes".
 */
function requireSelection(plan: SavedPlan): void {
  const { summary, stage } = plan.header;
  if (summary.population.person > 0) return;
  const leftOut = leftOutRecords(plan.review);
  const cause =
    leftOut > 0
      ? `no person that maps without errors matches its selection (${leftOut} records are left out with errors)`
      : "no person in the snapshot matches its selection";
  const hints = [
    "Check the stage's select (group, role, brin, affiliation, source, ids) against what the sources hold.",
    ...(leftOut > 0
      ? [
          `The review list says why records are left out: overstap report ${shellQuote(plan.file)} --format csv.`,
        ]
      : []),
    `The plan is saved to ${plan.file} for review only.`,
  ];
  throw new OverstapError("STAGE_EMPTY", `stage "${stage}" selects no one: ${cause}`, {
    hint: hints.join(" "),
  });
}

/**
 * The thresholds a saved plan exceeds (the count and percentage rails only: deletes, identity
 * changes and adoptions are consented to when applying). Apply refuses a plan with any.
 * @example if (thresholdsExceeded(project, plan).length) console.log("apply will refuse it")
 */
export function thresholdsExceeded(project: Project, plan: SavedPlan): RailViolation[] {
  return checkRails(plan.header.summary, project.loaded.config.safety, {
    allowDeletes: true,
    acceptIdentityChanges: true,
    acceptAdoptions: true,
  });
}
