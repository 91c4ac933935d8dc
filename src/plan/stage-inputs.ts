import type { Config, Stage } from "../config/schema.js";
import { OverstapError } from "../errors.js";
import type { OperationKind } from "../model/operation.js";
import type { ReviewItem } from "../model/review.js";
import type { SnapshotStore } from "../state/store.js";
import { didYouMean } from "../util/did-you-mean.js";
import { anchorFor } from "./keys.js";

/** What the plan of one stage starts from. */
export interface StageInputs {
  stage: Stage;
  stageIndex: number;
  /** The kinds of operation the stage may plan, and `adopt` when it consents to adoptions. */
  allowed: ReadonlySet<OperationKind | "adopt">;
  /** True when this stage or an earlier one selects everyone: only then are leavers planned. */
  everyone: boolean;
  /** How many persons the snapshots hold. */
  persons: number;
  /** The mapping's `vars`: the institution's names, then the configuration's own. */
  vars: Record<string, string>;
  /** The institution's scope (schacHomeOrganization), for default anchors. */
  scope: string;
}

/**
 * The first step of a plan: finds the stage (STAGE_UNKNOWN otherwise), refuses a missing or
 * half-pulled snapshot (STATE_INVALID), and sets up the mapping's variables.
 *
 * @example
 * const { stage, vars } = await stageInputs(config, store, "pilot");
 */
export async function stageInputs(
  config: Config,
  store: Pick<SnapshotStore, "sourceInfo">,
  name: string,
): Promise<StageInputs> {
  const stageIndex = config.stages.findIndex((s) => s.name === name);
  const stage = config.stages[stageIndex];
  if (!stage) {
    throw new OverstapError("STAGE_UNKNOWN", `there is no stage "${name}"`, {
      hint: `Stages in the configuration: ${config.stages.map((s) => s.name).join(", ")}.${didYouMean(
        name,
        config.stages.map((s) => s.name),
      )}`,
    });
  }
  const persons = await requireCompleteSnapshots(config, store);
  const vars = mappingVars(config);
  return {
    stage,
    stageIndex,
    allowed: new Set(stage.allow),
    everyone: config.stages.slice(0, stageIndex + 1).some((s) => s.select.all === true),
    persons,
    vars,
    scope: vars.schacHomeOrganization as string,
  };
}

/**
 * The variables the mapping sees as `vars`: the institution's realm, scope and name, then the
 * configuration's own `vars`.
 *
 * @example
 * mappingVars(config).schacHomeOrganization // "school.nl"
 */
export function mappingVars(config: Pick<Config, "institution" | "vars">): Record<string, string> {
  return {
    realm: config.institution.realm,
    schacHomeOrganization: config.institution.schacHomeOrganization ?? config.institution.realm,
    institution: config.institution.name,
    ...config.vars,
  };
}

/** Refuses a plan on a missing or half-pulled snapshot; returns how many persons the snapshots hold. */
async function requireCompleteSnapshots(
  config: Config,
  store: Pick<SnapshotStore, "sourceInfo">,
): Promise<number> {
  let persons = 0;
  for (const name of Object.keys(config.sources)) {
    const info = await store.sourceInfo(name);
    if (!info) {
      throw new OverstapError("STATE_INVALID", `source "${name}" has not been pulled yet`, {
        hint: "Run `overstap pull` first.",
      });
    }
    if (!info.complete) {
      throw new OverstapError(
        "STATE_INVALID",
        `the last pull of source "${name}" did not finish; planning on half a snapshot would disable everyone missing from it`,
        {
          hint: "Run `overstap pull` again: it resumes where the interrupted pull stopped.",
        },
      );
    }
    persons += info.persons;
  }
  return persons;
}

/** Who the sources still have besides the persons that map: the records they could not deliver. */
export interface SourcePresence {
  /** Default anchors of unreadable records that carry their source id: those persons have not left. */
  present: string[];
  /** How many unreadable records carry no id: while there are any, nobody is taken for a leaver. */
  unidentified: number;
}

/**
 * Puts every record a source could not deliver on the review list, and notes which persons
 * they still show to be present.
 *
 * @example
 * const { present, unidentified } = await sourcePresence(store, scope, review);
 */
export async function sourcePresence(
  store: Pick<SnapshotStore, "invalidRecords">,
  scope: string,
  review: ReviewItem[],
): Promise<SourcePresence> {
  const present: string[] = [];
  let unidentified = 0;
  for await (const r of store.invalidRecords()) {
    review.push({
      record: r.record,
      ...(r.field ? { field: r.field } : {}),
      rule: "source-invalid",
      reason: r.reason,
      severity: "error",
    });
    if (r.id) present.push(anchorFor(`${r.source}:${r.id}`, scope));
    else unidentified++;
  }
  return { present, unidentified };
}
