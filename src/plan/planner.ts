import path from "node:path";
import type { Config } from "../config/schema.js";
import type { ProgressFn, TargetConnector } from "../model/connector.js";
import { directoryRules } from "../model/directory-rules.js";
import type { Operation } from "../model/operation.js";
import type { PlanHeader, Summary } from "../model/plan.js";
import type { ReviewItem } from "../model/review.js";
import type { TargetRules } from "../model/target-rules.js";
import { removeStaleWorkingFiles, workingPath } from "../state/files.js";
import type { StateStore } from "../state/store.js";
import { diffGroups } from "./diff-groups.js";
import { diffPersons } from "./diff-persons.js";
import type { EntryMapper, EntryValidator } from "./entry-mapper.js";
import { readGroups, requireSelectedGroups, selectGroups } from "./group-members.js";
import { planLeavers } from "./leavers.js";
import { linkPersons } from "./link.js";
import type { GroupSelection, PersonMapping } from "./map-person.js";
import { mapPersons } from "./map-persons.js";
import { AttributeColumns } from "./mapped-person.js";
import { mergePersons } from "./merge.js";
import { OperationOrder, type OperationSink } from "./operation-order.js";
import { Ownership, ownedGroups } from "./ownership.js";
import { AttributeSpool } from "./perf/attribute-spool.js";
import { digestNames } from "./perf/managed-digest.js";
import type { MappingWorkers } from "./perf/map-pool.js";
import { type Plan, PlanFileWriter } from "./plan-file.js";
import { planHeader } from "./plan-header.js";
import type { PlanSeal } from "./seal.js";
import { type StageInputs, sourcePresence, stageInputs } from "./stage-inputs.js";
import { TargetIndex } from "./target-index.js";

export type { EntryMapper, EntryValidator, MapOutcome } from "./entry-mapper.js";
export type { OperationSink } from "./operation-order.js";

/** What a plan is made from: the configuration, the mapping, the state store and the target. */
export interface PlanInputs {
  config: Config;
  configHash: string;
  mapper: EntryMapper;
  store: StateStore;
  /**
   * The target, or what opens it (loading a large LDIF file takes seconds): when workers map the
   * persons, the planner opens and reads the target alongside them.
   */
  target: TargetConnector | (() => Promise<TargetConnector>);
  stage: string;
  validate?: EntryValidator;
  now?: Date;
  progress?: (step: string) => ProgressFn | undefined;
  /** Attributes whose values must be unique among persons. */
  uniqueAttributes?: string[];
  /**
   * ECK iDs resolved before planning (source ref → ECK iD; see src/eckid/plan-step.ts). Each
   * is given to the mapping as `ext.eckId` of its person, unless the person carries one already.
   */
  eckIds?: ReadonlyMap<string, string>;
  /**
   * Map persons in worker threads when the snapshot is large (only for a plan written to a
   * file): the recipe must build the same mapper and validator as `mapper` and `validate`.
   */
  workers?: MappingWorkers;
}

/** A plan's header and review list; its operations went to an {@link OperationSink}. */
export interface PlanOutline {
  header: PlanHeader;
  review: ReviewItem[];
}

/** A plan saved by {@link planToFile}: everything but its operations, which are in the file. */
export interface SavedPlan extends PlanOutline {
  file: string;
  hash: string;
  /** The number of operations in the file. */
  operations: number;
}

/**
 * Builds the plan for a stage in memory (see {@link planOperations}).
 *
 * @example
 * const plan = await buildPlan({ config, configHash, mapper, store, target, stage: "pilot" });
 */
export async function buildPlan(inputs: PlanInputs): Promise<Plan> {
  const operations: Operation[] = [];
  const { header, review } = await planOperations(inputs, { add: (op) => operations.push(op) });
  return { header, operations, review };
}

/**
 * Builds the plan for a stage straight into a plan file (see {@link planOperations}): the
 * operations are spooled to disk as they are planned, so memory does not grow with them.
 * Working files a killed plan left next to `file` are removed first. With the project's `seal`
 * the plan is bound to the project and carries its MAC (see `verifySeal`).
 *
 * @example
 * const saved = await planToFile(inputs, ".overstap/plans/pilot.plan", await project.seal());
 */
export async function planToFile(inputs: PlanInputs, file: string, seal?: PlanSeal): Promise<SavedPlan> {
  removeStaleWorkingFiles(path.dirname(path.resolve(file)));
  const writer = new PlanFileWriter(file);
  let outline: PlanOutline;
  try {
    outline = await planOperations(inputs, writer, workingPath(file, "attrs"));
  } catch (err) {
    await writer.discard();
    throw err;
  }
  const hash = await writer.finish(outline.header, outline.review, seal);
  return { ...outline, file, hash, operations: writer.count };
}

/**
 * Plans a stage: maps every person and group of the snapshot, selects the stage's population,
 * correlates with the target, and diffs per attribute value. The operations go to `sink` in
 * execution order; person creates and updates as they are planned, the rest at the end.
 * Mapped attributes wait in memory, or in the private file `spool` when given (see
 * {@link AttributeSpool}). Writes nothing else but the issued identifiers in the state store.
 */
export async function planOperations(
  inputs: PlanInputs,
  sink: OperationSink,
  spool?: string,
): Promise<PlanOutline> {
  const attributes = spool === undefined ? AttributeSpool.inMemory() : AttributeSpool.inFile(spool);
  const open: { close(): void }[] = [attributes];
  try {
    return await planWithSpool(inputs, sink, { attributes, file: spool, open });
  } finally {
    for (const o of open.reverse()) o.close();
  }
}

/** {@link planOperations} proper: the steps in order; what they open that must be closed goes on `spool.open`. */
async function planWithSpool(
  inputs: PlanInputs,
  sink: OperationSink,
  spool: { attributes: AttributeSpool; file: string | undefined; open: { close(): void }[] },
): Promise<PlanOutline> {
  const { config, store, mapper } = inputs;
  const now = inputs.now ?? new Date();
  const stage = await stageInputs(config, store, inputs.stage);
  const ownership = new Ownership(config.protect, await ownedGroups(store));
  const review: ReviewItem[] = [];
  const anchorAttr = config.correlation.anchor;
  const managedPerson = digestNames([...mapper.attributes.person, anchorAttr]);
  const { present, unidentified } = await sourcePresence(store, stage.scope, review);
  const snapshot = await readGroups(store);
  requireSelectedGroups(snapshot, stage.stage);
  const groupSelection = selectGroups(snapshot, config.stages, stage.stageIndex);
  let rules: TargetRules = directoryRules(config.disable);

  const unique = [...(inputs.uniqueAttributes ?? ["uid", "mail", "eduPersonPrincipalName"]), anchorAttr];
  const keys = config.correlation.keys;
  // Sized for the snapshot up front: a million-element array grown step by step is copied about
  // twenty times, each copy into freshly mapped memory.
  const columns = new AttributeColumns(
    new Set([...unique, ...config.identifiers, ...keys.map((k) => k.attribute)]),
    stage.persons,
  );
  const { mapped, reader, target, ownAnchors } = await mapPersons({
    persons: mergePersons(store, stage.persons),
    mapping: personMapping(inputs, stage, managedPerson, groupSelection),
    attributes: spool.attributes,
    columns,
    spoolFile: spool.file,
    workers: inputs.workers,
    progress: inputs.progress,
    readTarget: async (progress) => {
      const connector = typeof inputs.target === "function" ? await inputs.target() : inputs.target;
      rules = connector.rules?.(config.disable) ?? rules;
      const { isDisabled } = rules;
      return TargetIndex.read(connector, anchorAttr, {
        identifiers: config.identifiers,
        progress,
        keys,
        digests: { names: managedPerson, disabled: (attrs, key) => isDisabled(attrs, key) },
      });
    },
    open: spool.open,
    review,
    present,
  });
  for (const anchor of present) {
    const record = target.byAnchor.get(anchor);
    if (record) record.present = true;
  }
  present.length = 0;
  await linkPersons(mapped, columns, target, { config, unique, ownAnchors, store, review });

  const ops = new OperationOrder(sink);
  const purgeAfter = new Date(now.getTime() + config.disable.purgeAfterDays * 86_400_000);
  const common = { target, ops, review, ownership, rules, allowed: stage.allowed };
  const persons = diffPersons(mapped, {
    ...common,
    reader,
    identityKeys: new Set(config.safety.identityKeys.map((k) => k.toLowerCase())),
    managed: managedPerson,
    purgeAfter,
  });
  if (stage.everyone) planLeavers({ ...common, unidentified, now, purgeAfter });
  const groups = diffGroups({
    ...common,
    groups: config.groups,
    snapshot,
    mapper,
    vars: stage.vars,
    finalKeyOf: persons.finalKeyOf,
  });
  ops.finish();

  const summary: Summary = {
    ...ops.counts,
    review: { error: 0, warning: 0 },
    unchanged: { person: persons.unchanged, group: groups.unchanged },
    population: { person: persons.population, group: groups.population },
    target: target.count,
    sourceDisabled: persons.sourceDisabled,
  };
  for (const r of review) summary.review[r.severity]++;
  const header = planHeader({
    config,
    now,
    stage: { name: stage.stage.name, index: stage.stageIndex },
    kind: "migrate",
    inputs: {
      snapshot: await store.snapshotHash(),
      mapping: mapper.hash,
      config: inputs.configHash,
      target: target.hash(),
    },
    summary,
  });
  return { header, review };
}

/** What mapping one person needs, from the plan's inputs and the stage. */
function personMapping(
  inputs: PlanInputs,
  stage: StageInputs,
  managed: string[],
  groups: GroupSelection | undefined,
): PersonMapping {
  return {
    mapper: inputs.mapper,
    ...(inputs.validate ? { validate: inputs.validate } : {}),
    vars: stage.vars,
    scope: stage.scope,
    anchorAttr: inputs.config.correlation.anchor,
    managed,
    stages: inputs.config.stages,
    stageIndex: stage.stageIndex,
    ...(inputs.eckIds ? { eckIds: inputs.eckIds } : {}),
    ...(groups ? { groups } : {}),
  };
}
