import { randomUUID } from "node:crypto";
import type { Config } from "../config/schema.js";
import { PLAN_FORMAT, PLAN_VERSION, type PlanHeader, type Summary } from "../model/plan.js";

/** What a plan's header says besides the configuration's names. */
export interface HeaderFacts {
  config: Config;
  now: Date;
  stage: { name: string; index: number };
  kind: PlanHeader["kind"];
  /** The run a rollback plan undoes. */
  rollbackOf?: string;
  inputs: PlanHeader["inputs"];
  summary: Summary;
}

/**
 * The header of a new plan (migrate or rollback): a fresh id, the time, the stage, the
 * institution, profile and target type from the configuration, the inputs and the summary.
 *
 * @example
 * const header = planHeader({ config, now, stage: { name: "pilot", index: 0 }, kind: "migrate", inputs, summary });
 */
export function planHeader(facts: HeaderFacts): PlanHeader {
  const { config } = facts;
  return {
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    id: randomUUID(),
    createdAt: facts.now.toISOString(),
    stage: facts.stage.name,
    stageIndex: facts.stage.index,
    kind: facts.kind,
    ...(facts.rollbackOf !== undefined ? { rollbackOf: facts.rollbackOf } : {}),
    institution: config.institution.name,
    profile: config.profile,
    target: config.target.type,
    inputs: facts.inputs,
    summary: facts.summary,
  };
}
