import { randomUUID } from "node:crypto";
import path from "node:path";
import type { Config } from "../config/schema.js";
import { OverstapError } from "../errors.js";
import type { ProgressFn, TargetConnector } from "../model/connector.js";
import { attrValues, expectedAfter, fingerprint } from "../model/entry.js";
import type { Group } from "../model/group.js";
import type { AttrChange, Operation, OperationKind } from "../model/operation.js";
import { refOf } from "../model/person.js";
import { PLAN_FORMAT, PLAN_VERSION, type PlanHeader, type Summary } from "../model/plan.js";
import type { ReviewItem } from "../model/review.js";
import type { ObjectType, TargetEntry } from "../model/target-entry.js";
import { removeStaleWorkingFiles, workingPath } from "../state/files.js";
import type { StateStore } from "../state/store.js";
import { allSettled } from "../util/all-settled.js";
import { collectGarbage } from "../util/collect-garbage.js";
import { assignIdentifiers } from "./assign-identifiers.js";
import { AttributeSpool, type RawRow, SpoolReader } from "./attribute-spool.js";
import { correlate } from "./correlation.js";
import { diffAttributes } from "./diff.js";
import { markDuplicates } from "./duplicates.js";
import type { EntryMapper, EntryValidator } from "./entry-mapper.js";
import { anchorFor, normKey } from "./keys.js";
import { digestNames } from "./managed-digest.js";
import { type GroupSelection, mapOnePerson, type PersonMapping } from "./map-person.js";
import { type MappingWorkers, mapInWorkers, mappingThreads, type TakeFn } from "./map-pool.js";
import { AttributeColumns, MappedPerson, NO_CELLS } from "./mapped-person.js";
import { adoptedBy, adoptionItem, Ownership, ownedGroups, protectedItem } from "./ownership.js";
import { phaseOf } from "./phases.js";
import { type Plan, PlanFileWriter } from "./plan-file.js";
import type { PlanSeal } from "./seal.js";
import { TargetIndex } from "./target-index.js";
import { validateSourceRecord } from "./validate-input.js";

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

const MEMBER_CHUNK = 1000;
const PHASES = 7;
/** The earliest phase {@link phaseOf} gives: its operations can be numbered as they are planned. */
const FIRST_PHASE = 1;

/** Receives a plan's operations in execution order, `seq` set. */
export interface OperationSink {
  add(op: Operation): void;
  /**
   * Optional: a person create whose attributes come as the JSON text of a spool row, taken
   * as it is (see `PlanFileWriter.addCreate`); without it, every operation goes to {@link add}.
   */
  addCreate?(seq: number, key: string, ref: string, attrs: RawRow): void;
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

/** {@link planOperations} proper; what it opens that must be closed goes on `open`. */
async function planWithSpool(
  inputs: PlanInputs,
  sink: OperationSink,
  spool: { attributes: AttributeSpool; file: string | undefined; open: { close(): void }[] },
): Promise<PlanOutline> {
  const { attributes, open } = spool;
  const { config, store, mapper } = inputs;
  const now = inputs.now ?? new Date();
  const stageIndex = config.stages.findIndex((s) => s.name === inputs.stage);
  const stage = config.stages[stageIndex];
  if (!stage) {
    throw new OverstapError("STAGE_UNKNOWN", `there is no stage "${inputs.stage}"`, {
      hint: `Stages in the configuration: ${config.stages.map((s) => s.name).join(", ")}.`,
    });
  }
  const persons = await requireCompleteSnapshots(config, store);
  const ownership = new Ownership(config.protect, await ownedGroups(store));

  const review: ReviewItem[] = [];
  const vars: Record<string, string> = {
    realm: config.institution.realm,
    schacHomeOrganization: config.institution.schacHomeOrganization ?? config.institution.realm,
    institution: config.institution.name,
    ...config.vars,
  };
  const scope = vars.schacHomeOrganization as string;
  const anchorAttr = config.correlation.anchor;

  const keys = config.correlation.keys;
  const managedPerson = digestNames([...mapper.attributes.person, anchorAttr]);
  // Target state, indexed by normalized key and by anchor: read while the workers map, if they do.
  const readTarget = async (progress: ProgressFn | undefined) =>
    TargetIndex.read(
      typeof inputs.target === "function" ? await inputs.target() : inputs.target,
      anchorAttr,
      config.identifiers,
      progress,
      keys,
      { names: managedPerson, disabled: (attrs) => isDisabled(attrs, config) },
    );

  // Everyone the sources still have, valid or not: only the others have left. Only anchors
  // the target holds matter: their entries are marked once the target is read.
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

  // Groups first: selection by group needs each person's group names.
  const groups: Group[] = [];
  const groupById = new Map<string, Group>();
  for await (const g of store.groups()) {
    groups.push(g);
    groupById.set(refOf(g), g);
  }
  const groupSelection = selectGroups(groups, groupById, groupsSelected(config.stages, stageIndex));

  // Map persons.
  const unique = [...(inputs.uniqueAttributes ?? ["uid", "mail", "eduPersonPrincipalName"]), anchorAttr];
  // Sized for the snapshot up front: a million-element array grown step by step is copied about
  // twenty times, each copy into freshly mapped memory.
  const columns = new AttributeColumns(
    new Set([...unique, ...config.identifiers, ...keys.map((k) => k.attribute)]),
    persons,
  );
  const mapped = new Array<MappedPerson>(persons);
  let mappedCount = 0;
  const anchorCell = columns.names.indexOf(anchorAttr);
  let ownAnchors = 0;
  const personMapping: PersonMapping = {
    mapper,
    ...(inputs.validate ? { validate: inputs.validate } : {}),
    vars,
    scope,
    anchorAttr,
    managed: managedPerson,
    stages: config.stages,
    stageIndex,
    ...(inputs.eckIds ? { eckIds: inputs.eckIds } : {}),
    ...(groupSelection ? { groups: groupSelection } : {}),
  };
  const take: TakeFn = (o, row, cells) => {
    for (const item of o.review) review.push(item);
    const p = o.mapped;
    // A mapped person's own anchor is marked when it is diffed (one look-up for both).
    if (!p || p.ownAnchor) present.push(o.refAnchor);
    if (!p) return;
    if (p.ownAnchor) ownAnchors++;
    // The anchor column holds the person's anchor: one string for both (48 MB at 1M persons).
    if (cells[anchorCell] === p.anchor) cells[anchorCell] = p.anchor;
    columns.put(row, cells);
    mappedCount = row + 1;
    mapped[row] = new MappedPerson({
      ref: o.ref,
      key: p.key,
      norm: p.norm,
      anchor: p.anchor,
      enabled: p.enabled,
      selected: p.selected,
      row,
      digest: p.digest,
    });
  };
  const threads = spool.file === undefined ? 0 : mappingThreads(inputs.workers, persons);
  let reader: SpoolReader;
  let target: TargetIndex;
  if (inputs.workers && spool.file !== undefined && threads > 0) {
    const { mapper: _m, validate: _v, ...context } = personMapping;
    const mapProgress = inputs.progress?.("map");
    // The planner's thread opens and reads the target while the workers map: each needs a core,
    // and the target needs nothing the mapping gives. Its progress shows once the mapping is
    // done; a target that cannot be read stops the mapping.
    let targetProgress: ProgressFn | undefined;
    const stop = new AbortController();
    const [segments, index] = await allSettled(
      mapInWorkers({
        store,
        workers: inputs.workers,
        threads,
        context,
        columns: columns.names,
        spool: spool.file,
        take,
        ...(mapProgress ? { progress: mapProgress } : {}),
        open,
        signal: stop.signal,
      }).then((done) => {
        targetProgress = inputs.progress?.("target");
        return done;
      }),
      readTarget((done, total) => targetProgress?.(done, total)).catch((err: unknown) => {
        stop.abort(err);
        throw err;
      }),
    );
    reader = new SpoolReader(segments);
    target = index;
    mapProgress?.(persons, persons);
  } else {
    target = await readTarget(inputs.progress?.("target"));
    const mapProgress = inputs.progress?.("map");
    let seen = 0;
    for await (const person of store.persons()) {
      seen++;
      if (mapProgress && seen % 5000 === 0) mapProgress(seen);
      const outcome = mapOnePerson(person, personMapping);
      const p = outcome.mapped;
      if (p)
        take(
          { ...outcome, mapped: { ...p, norm: normKey(p.key) } },
          attributes.add(p.attrs),
          columns.cellsOf(p.attrs),
        );
      else take({ ref: outcome.ref, refAnchor: outcome.refAnchor, review: outcome.review }, -1, NO_CELLS);
    }
    reader = attributes.reader();
    mapProgress?.(persons, persons);
  }
  open.push(reader);
  mapped.length = mappedCount;
  for (const anchor of present) {
    const record = target.byAnchor.get(anchor);
    if (record) record.present = true;
  }
  present.length = 0;

  // Link with existing entries (anchor, key, correlation keys) before identifiers are issued, so
  // a linked entry keeps its uid. Persons left out as ambiguous or conflicting get no identifier:
  // one issued now would win over their entry's own once the review is resolved.
  const correlated = correlate(mapped, columns, target, config.correlation, review);
  const linkable = correlated.ambiguous + correlated.conflict > 0 ? mapped.filter((m) => !m.dropped) : mapped;
  await assignIdentifiers(linkable, columns, review, config.identifiers, store, target);
  // Default anchors are hashes of distinct references: they cannot collide, so only anchors a
  // mapping gave itself are checked (a million-entry map less).
  markDuplicates(
    mapped,
    columns,
    review,
    ownAnchors ? unique : unique.filter((a) => a !== anchorAttr),
    target,
  );
  // The columns and the registry's maps are garbage now: collect before the diff sets the heap limit.
  columns.clear();
  collectGarbage();

  // Correlate and diff persons.
  const ops = new OperationOrder(sink);
  const identityKeys = new Set(config.safety.identityKeys.map((k) => k.toLowerCase()));
  const allowed = new Set<OperationKind | "adopt">(stage.allow);
  const finalKeyOf = new Map<string, string>();
  let unchangedPersons = 0;
  let population = 0;
  let sourceDisabled = 0;
  const attrsOf = (row: number) => reader.read(row);
  for (const m of mapped) {
    const anchored = target.byAnchor.get(m.anchor);
    if (anchored) anchored.present = true;
    if (m.dropped) continue;
    const linked = anchored ?? target.linkedPerson(m);
    if (linked) finalKeyOf.set(m.ref, linked.key);
    if (!m.selected) continue;
    population++;
    if (!linked) {
      if (!m.enabled) {
        sourceDisabled++;
        continue;
      }
      const occupied = target.byKey.get(m.norm);
      if (occupied) {
        review.push({
          record: m.ref,
          field: "key",
          rule: "correlation-conflict",
          reason: `the target already has ${occupied.key}, linked to another person`,
          severity: "error",
          candidates: [occupied.key],
        });
        continue;
      }
      // The spool row's text goes into the plan as it is, unless an identifier was patched in.
      if (!m.isPatched && ops.pushCreate(m.key, m.ref, () => reader.raw(m.row))) {
        finalKeyOf.set(m.ref, m.key);
        continue;
      }
      ops.push({
        seq: 0,
        kind: "create",
        type: "person",
        key: m.key,
        ref: m.ref,
        attrs: m.patched(attrsOf(m.row)),
        fingerprint: null,
      });
      finalKeyOf.set(m.ref, m.key);
      continue;
    }
    // Same digest, key and state: nothing to do, without reading the entry back or diffing it.
    if (
      target.digested &&
      !m.isPatched &&
      linked.digest0 === m.digest0 &&
      linked.digest1 === m.digest1 &&
      linked.norm === m.norm &&
      linked.disabled !== m.enabled
    ) {
      unchangedPersons++;
      continue;
    }
    const existing = linked.entry();
    const changes = diffAttributes(existing.attrs, m.patched(attrsOf(m.row)), managedPerson);
    const renamed = linked.norm !== m.norm;
    const disabled = isDisabled(existing.attrs, config);
    const willRename = renamed && allowed.has("rename");
    const willUpdate = !willRename && changes.length > 0 && allowed.has("update");
    const willDisable = !m.enabled && !disabled && allowed.has("disable");
    const willEnable = !willDisable && m.enabled && disabled && allowed.has("enable");
    if (willRename && target.byKey.has(m.norm)) {
      review.push({
        record: m.ref,
        field: "key",
        rule: "rename-conflict",
        reason: `cannot rename ${existing.key}: ${m.key} is taken`,
        severity: "error",
        candidates: [m.key],
      });
      continue;
    }
    if (!willRename && !willUpdate && !willDisable && !willEnable) {
      unchangedPersons++;
      continue;
    }
    const protectedBy = ownership.protectedBy(existing);
    if (protectedBy) {
      review.push(protectedItem(m.ref, existing.key, protectedBy));
      continue;
    }
    const adoption = anchored ? undefined : adoptedBy(target.linkedBy(m.anchor));
    if (adoption) review.push(adoptionItem(m.ref, existing.key, adoption));
    const identityChanges = changedIdentityKeys(existing, changes, identityKeys);
    const extra = {
      ...(identityChanges.length ? { identityChanges } : {}),
      ...(adoption ? { adopt: true as const } : {}),
    };
    let key = existing.key;
    let state: TargetEntry | null = existing;
    const before = fingerprint(existing);
    const push = (op: Operation) => {
      ops.push(op);
      key = op.newKey ?? op.key;
      if (willDisable || willEnable) state = expectedAfter(op, state);
    };
    if (willRename) {
      push({
        seq: 0,
        kind: "rename",
        type: "person",
        key: existing.key,
        newKey: m.key,
        ref: m.ref,
        changes,
        fingerprint: before,
        ...extra,
      });
      finalKeyOf.set(m.ref, m.key);
    } else if (willUpdate) {
      push({
        seq: 0,
        kind: "update",
        type: "person",
        key: existing.key,
        ref: m.ref,
        changes,
        fingerprint: before,
        ...extra,
      });
    }
    if (willDisable) {
      push({
        seq: 0,
        kind: "disable",
        type: "person",
        key,
        ref: m.ref,
        changes: disableChanges(config, now),
        fingerprint: fingerprint(state),
        purgeAfter: purgeDate(config, now).toISOString(),
        reason: "disabled at the source",
        ...(adoption ? { adopt: true as const } : {}),
      });
    } else if (willEnable) {
      push({
        seq: 0,
        kind: "enable",
        type: "person",
        key,
        ref: m.ref,
        changes: enableChanges(config),
        fingerprint: fingerprint(state),
        ...(adoption ? { adopt: true as const } : {}),
      });
    }
  }
  mapped.length = 0;

  // Managed entries whose person left the source: disable, later delete; only in a stage that
  // selects everyone, and not while a source has records it could not identify.
  let heldBack = 0;
  const everyone = config.stages.slice(0, stageIndex + 1).some((s) => s.select.all === true);
  for (const record of everyone ? target.byAnchor.values() : []) {
    const anchor = record.anchor;
    if (anchor === undefined || record.present) continue;
    const entry = record.entry();
    const protectedBy = ownership.protectedBy(entry);
    if (!isDisabled(entry.attrs, config)) {
      if (unidentified > 0) heldBack++;
      else if (protectedBy) {
        if (allowed.has("disable")) review.push(protectedItem(entry.key, entry.key, protectedBy));
      } else if (allowed.has("disable")) {
        ops.push({
          seq: 0,
          kind: "disable",
          type: "person",
          key: entry.key,
          changes: disableChanges(config, now),
          fingerprint: fingerprint(entry),
          purgeAfter: purgeDate(config, now).toISOString(),
          reason: "no longer in the source",
        });
      }
    } else if (allowed.has("delete") && purgeDue(entry, config, now)) {
      if (protectedBy) {
        review.push(protectedItem(entry.key, entry.key, protectedBy));
        continue;
      }
      ops.push({
        seq: 0,
        kind: "delete",
        type: "person",
        key: entry.key,
        fingerprint: fingerprint(entry),
        reason: "disabled and past its purge date",
      });
    }
  }
  if (heldBack > 0) {
    review.push({
      record: "(sources)",
      rule: "disables-held-back",
      reason: `${heldBack} account(s) missing from the sources were not disabled, because ${unidentified} source record(s) could not be read far enough to know whose they are; fix those records first`,
      severity: "warning",
    });
  }

  // Groups.
  let unchangedGroups = 0;
  let groupPopulation = 0;
  if (config.groups.manage) {
    const memberAttr = config.groups.memberAttribute;
    // Built on first need: only members of groups the target already has can be removed.
    let managed: Set<string> | undefined;
    const managedPersonKeys = () => {
      if (managed) return managed;
      managed = new Set<string>();
      for (const e of target.byAnchor.values()) managed.add(e.norm);
      for (const k of finalKeyOf.values()) managed.add(normKey(k));
      return managed;
    };
    const managedGroup = mapper.attributes.group.filter((a) => a.toLowerCase() !== memberAttr.toLowerCase());
    const groupKeys = new Set<string>();
    for (const g of groups) {
      const ref = refOf(g);
      const result = mapper.mapGroup(g, vars);
      if (!result) continue;
      if (!result.ok) {
        for (const e of result.errors)
          review.push({ record: ref, field: e.field, rule: "mapping", reason: e.reason, severity: "error" });
        continue;
      }
      const inputProblems = validateSourceRecord(ref, { name: g.name, displayName: g.displayName });
      if (inputProblems.length) {
        review.push(...inputProblems);
        continue;
      }
      const norm = normKey(result.key);
      if (groupKeys.has(norm)) {
        review.push({
          record: ref,
          field: "key",
          rule: "duplicate",
          reason: `another group maps to ${result.key} too`,
          severity: "error",
        });
        continue;
      }
      groupKeys.add(norm);
      const members: string[] = [];
      const cycle = () =>
        review.push({
          record: ref,
          field: "members",
          rule: "group-cycle",
          reason: `group ${g.name} contains itself through its nested groups; its members are taken once`,
          severity: "warning",
        });
      for (const id of resolveMembers(g, groupById, cycle)) {
        const k = finalKeyOf.get(`${g.source}:${id}`);
        if (k !== undefined) members.push(k);
      }
      const record = target.byKey.get(norm);
      if (!record) {
        if (members.length === 0) continue;
        groupPopulation++;
        const first = members.slice(0, MEMBER_CHUNK);
        ops.push({
          seq: 0,
          kind: "create",
          type: "group",
          key: result.key,
          ref,
          attrs: { ...result.attrs, [memberAttr]: first },
          fingerprint: null,
        });
        for (let i = MEMBER_CHUNK; i < members.length; i += MEMBER_CHUNK) {
          ops.push({
            seq: 0,
            kind: "add-members",
            type: "group",
            key: result.key,
            ref,
            changes: [{ attr: memberAttr, add: members.slice(i, i + MEMBER_CHUNK) }],
            fingerprint: null,
          });
        }
        continue;
      }
      groupPopulation++;
      const existing = record.entry();
      const changes = groupChanges(existing, result.attrs, members, {
        ref,
        memberAttr,
        managedAttrs: managedGroup,
        managedPersons: managedPersonKeys,
        allowed,
      });
      if (changes.length === 0) {
        unchangedGroups++;
        continue;
      }
      const protectedBy = ownership.groupProtectedBy(existing, norm);
      if (protectedBy) {
        review.push(protectedItem(ref, existing.key, protectedBy));
        continue;
      }
      const adopt = !ownership.groupManaged(norm);
      if (adopt) review.push(adoptionItem(ref, existing.key, "group"));
      for (const op of changes) ops.push(adopt ? { ...op, adopt: true } : op);
    }
  }

  ops.finish();
  const summary: Summary = {
    ...ops.counts,
    review: { error: 0, warning: 0 },
    unchanged: { person: unchangedPersons, group: unchangedGroups },
    population: { person: population, group: groupPopulation },
    target: target.count,
    sourceDisabled,
  };
  for (const r of review) summary.review[r.severity]++;
  const header: PlanHeader = {
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    id: randomUUID(),
    createdAt: now.toISOString(),
    stage: stage.name,
    stageIndex,
    kind: "migrate",
    institution: config.institution.name,
    profile: config.profile,
    target: config.target.type,
    inputs: {
      snapshot: await store.snapshotHash(),
      mapping: mapper.hash,
      config: inputs.configHash,
      target: target.hash(),
    },
    summary,
  };
  return { header, review };
}

/**
 * Puts operations in execution order (phase by phase, insertion order within a phase) and
 * numbers them. Operations of the first phase (person creates, renames, updates, enables;
 * the bulk of a plan) go to the sink at once; the others are held until {@link finish}.
 */
class OperationOrder {
  readonly counts: Pick<Summary, "person" | "group" | "identityChanges" | "adoptions"> = {
    person: {},
    group: {},
    identityChanges: 0,
    adoptions: 0,
  };
  readonly #held: Operation[][] = Array.from({ length: PHASES }, () => []);
  /** Keys of the objects adopted (few): `counts.adoptions` counts objects, not operations. */
  readonly #adopted = new Set<string>();
  readonly #sink: OperationSink;
  #next = 0;

  constructor(sink: OperationSink) {
    this.#sink = sink;
  }

  push(op: Operation): void {
    const bucket = this.counts[op.type as ObjectType];
    bucket[op.kind] = (bucket[op.kind] ?? 0) + 1;
    if (op.identityChanges?.length) this.counts.identityChanges++;
    if (op.adopt && !this.#adopted.has(op.key)) {
      this.#adopted.add(op.key);
      this.counts.adoptions++;
    }
    const phase = phaseOf(op);
    if (phase <= FIRST_PHASE) this.#emit(op);
    else (this.#held[phase] as Operation[]).push(op);
  }

  /**
   * A person create with its attributes' JSON text, handed on as it is when the sink takes
   * that (returns true); otherwise nothing happens and the caller pushes the operation. Person
   * creates are of the first phase, so it is numbered and handed on at once, as `push` would.
   */
  pushCreate(key: string, ref: string, attrs: () => RawRow): boolean {
    if (!this.#sink.addCreate) return false;
    const bucket = this.counts.person;
    bucket.create = (bucket.create ?? 0) + 1;
    this.#sink.addCreate(this.#next++, key, ref, attrs());
    return true;
  }

  /** Emits the held operations, phase by phase. */
  finish(): void {
    for (const phase of this.#held) {
      for (const op of phase) this.#emit(op);
      phase.length = 0;
    }
  }

  #emit(op: Operation): void {
    op.seq = this.#next++;
    this.#sink.add(op);
  }
}

/** Refuses a plan on a missing or half-pulled snapshot; returns how many persons the snapshots hold. */
async function requireCompleteSnapshots(config: Config, store: StateStore): Promise<number> {
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

/** The group ids and names the stages up to `index` select by (empty when none selects by group). */
function groupsSelected(stages: Config["stages"], index: number): Set<string> {
  const names = new Set<string>();
  for (const s of stages.slice(0, index + 1)) for (const g of s.select.group ?? []) names.add(g);
  return names;
}

/**
 * What a stage selection by group needs (see {@link GroupSelection}), or undefined when no stage
 * selects by group. Only selected groups are resolved, so a board of a million pupils in tens
 * of thousands of classes costs only the members of the pilot groups.
 */
function selectGroups(
  groups: Group[],
  groupById: Map<string, Group>,
  selected: ReadonlySet<string>,
): GroupSelection | undefined {
  if (selected.size === 0) return undefined;
  const transitive = new Map<string, string[]>();
  const known = new Map<string, string[]>();
  for (const g of groups) {
    const names = [g.id, g.name].filter((n) => selected.has(n));
    known.set(refOf(g), names);
    if (names.length === 0) continue;
    for (const memberId of resolveMembers(g, groupById)) {
      const ref = `${g.source}:${memberId}`;
      const have = transitive.get(ref);
      if (!have) transitive.set(ref, [...names]);
      else for (const n of names) if (!have.includes(n)) have.push(n);
    }
  }
  return { selected, transitive, known };
}

/** What {@link groupChanges} needs besides the group. */
interface GroupDiff {
  ref: string;
  memberAttr: string;
  managedAttrs: readonly string[];
  /** Normalised keys of the persons Overstap manages: only those are ever removed from a group. */
  managedPersons: () => ReadonlySet<string>;
  allowed: ReadonlySet<string>;
}

/**
 * The operations that bring an existing group to its mapped attributes and `members`: an
 * update, members added and members removed (only persons Overstap manages), in chunks of
 * {@link MEMBER_CHUNK}, as far as the stage allows each kind.
 */
function groupChanges(
  existing: TargetEntry,
  attrs: Record<string, string[]>,
  members: readonly string[],
  diff: GroupDiff,
): Operation[] {
  const out: Operation[] = [];
  const base = { seq: 0, type: "group" as const, key: existing.key, ref: diff.ref };
  let before: string | null | undefined;
  const fp = () => {
    before ??= fingerprint(existing);
    return before;
  };
  const changes = diffAttributes(existing.attrs, attrs, diff.managedAttrs as string[]);
  if (changes.length && diff.allowed.has("update"))
    out.push({ ...base, kind: "update", changes, fingerprint: fp() });
  const have = attrValues(existing.attrs, diff.memberAttr);
  const haveNorm = new Set<string>();
  for (const k of have) haveNorm.add(normKey(k));
  const wantNorm = new Set<string>();
  const add: string[] = [];
  for (const k of members) {
    const n = normKey(k);
    wantNorm.add(n);
    if (!haveNorm.has(n)) add.push(k);
  }
  const remove = have.filter((k) => {
    const n = normKey(k);
    return !wantNorm.has(n) && diff.managedPersons().has(n);
  });
  const chunks = [
    ["add-members", add, "add"],
    ["remove-members", remove, "remove"],
  ] as const;
  for (const [kind, keys, field] of chunks) {
    if (!diff.allowed.has(kind)) continue;
    for (let i = 0; i < keys.length; i += MEMBER_CHUNK) {
      out.push({
        ...base,
        kind,
        changes: [{ attr: diff.memberAttr, [field]: keys.slice(i, i + MEMBER_CHUNK) }],
        fingerprint: fp(),
      });
    }
  }
  return out;
}

function changedIdentityKeys(
  existing: TargetEntry,
  changes: AttrChange[],
  identityKeys: Set<string>,
): string[] {
  return changes
    .filter((c) => identityKeys.has(c.attr.toLowerCase()) && attrValues(existing.attrs, c.attr).length > 0)
    .map((c) => c.attr);
}

function isDisabled(attrs: Record<string, string[]>, config: Config): boolean {
  return attrValues(attrs, config.disable.attribute).includes(config.disable.value);
}

function purgeDate(config: Config, now: Date): Date {
  return new Date(now.getTime() + config.disable.purgeAfterDays * 86_400_000);
}

/** LDAP GeneralizedTime (YYYYMMDDHHMMSSZ). */
function generalizedTime(d: Date): string {
  return `${d.toISOString().replace(/[-:T]/g, "").slice(0, 14)}Z`;
}

function disableChanges(config: Config, now: Date): AttrChange[] {
  return [
    ...(config.disable.objectClasses.length
      ? [{ attr: "objectClass", add: config.disable.objectClasses }]
      : []),
    { attr: config.disable.attribute, add: [config.disable.value] },
    { attr: config.disable.purgeAttribute, replace: [generalizedTime(purgeDate(config, now))] },
  ];
}

function enableChanges(config: Config): AttrChange[] {
  return [
    { attr: config.disable.attribute, remove: [config.disable.value] },
    { attr: config.disable.purgeAttribute, replace: [] },
  ];
}

function purgeDue(entry: TargetEntry, config: Config, now: Date): boolean {
  const v = attrValues(entry.attrs, config.disable.purgeAttribute)[0];
  return v !== undefined && v <= generalizedTime(now);
}

/**
 * Transitive person members of a group; nested groups resolved. A cycle back to the group is
 * tolerated (each member counted once) and reported through `onCycle`.
 */
function resolveMembers(group: Group, groupById: Map<string, Group>, onCycle?: () => void): Set<string> {
  const out = new Set<string>();
  const root = refOf(group);
  const visited = new Set<string>([root]);
  const stack = [group];
  let cyclic = false;
  while (stack.length) {
    const g = stack.pop() as Group;
    for (const id of g.members) {
      const nested = groupById.get(`${g.source}:${id}`);
      if (nested) {
        const ref = refOf(nested);
        if (ref === root && !cyclic) {
          cyclic = true;
          onCycle?.();
        }
        if (!visited.has(ref)) {
          visited.add(ref);
          stack.push(nested);
        }
      } else out.add(id);
    }
  }
  return out;
}
