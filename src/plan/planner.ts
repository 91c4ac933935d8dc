import { createHash, randomUUID } from "node:crypto";
import type { Config } from "../config/schema.js";
import { OverstapError } from "../errors.js";
import type { ProgressFn, TargetConnector } from "../model/connector.js";
import { formatDn, normalizeDn, parseDn } from "../model/dn.js";
import { attrName, attrValues, expectedAfter, fingerprint } from "../model/entry.js";
import type { Group } from "../model/group.js";
import type { AttrChange, Operation, OperationKind } from "../model/operation.js";
import { type Person, refOf } from "../model/person.js";
import { PLAN_FORMAT, PLAN_VERSION, type PlanHeader, type Summary } from "../model/plan.js";
import type { ReviewItem } from "../model/review.js";
import type { ObjectType, TargetEntry } from "../model/target-entry.js";
import { type IdentifierRequest, IdentifierRegistry } from "../mapping/identifiers.js";
import type { StateStore } from "../state/store.js";
import { diffAttributes } from "./diff.js";
import type { Plan } from "./plan-file.js";
import { phaseOf } from "./phases.js";
import { inPopulation } from "./select.js";
import { checkIdentifier, validateSourceRecord } from "./validate-input.js";

/** What maps source objects to target entries (the compiled mapping, plus optional layers). */
export interface EntryMapper {
  readonly hash: string;
  readonly attributes: { person: string[]; group: string[] };
  mapPerson(person: Person, vars: Record<string, string>): MapOutcome;
  mapGroup(group: Group, vars: Record<string, string>): MapOutcome | null;
}
export type MapOutcome =
  | { ok: true; key: string; attrs: Record<string, string[]> }
  | { ok: false; errors: { field: string; reason: string }[] };

/** Extra validation of a mapped person (a federation profile); returns review items. */
export type EntryValidator = (attrs: Record<string, string[]>, record: string) => ReviewItem[];

export interface PlanInputs {
  config: Config;
  configHash: string;
  mapper: EntryMapper;
  store: StateStore;
  target: TargetConnector;
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
}

const MEMBER_CHUNK = 1000;
const IDENTIFIER_ATTRS = ["uid", "eduPersonPrincipalName"];

interface Mapped {
  ref: string;
  person: Person;
  key: string;
  norm: string;
  attrs: Record<string, string[]>;
  anchor: string;
  selected: boolean;
  dropped: boolean;
}

/**
 * Builds the plan for a stage: maps every person and group of the snapshot, selects the
 * stage's population, correlates with the target, and diffs per attribute value. Writes
 * nothing anywhere.
 *
 * @example
 * const plan = await buildPlan({ config, configHash, mapper, store, target, stage: "pilot" });
 */
export async function buildPlan(inputs: PlanInputs): Promise<Plan> {
  const { config, store, target, mapper } = inputs;
  const now = inputs.now ?? new Date();
  const stageIndex = config.stages.findIndex((s) => s.name === inputs.stage);
  const stage = config.stages[stageIndex];
  if (!stage) {
    throw new OverstapError("STAGE_UNKNOWN", `there is no stage "${inputs.stage}"`, {
      hint: `Stages in the configuration: ${config.stages.map((s) => s.name).join(", ")}.`,
    });
  }
  await requireCompleteSnapshots(config, store);

  const review: ReviewItem[] = [];
  const vars: Record<string, string> = {
    realm: config.institution.realm,
    schacHomeOrganization: config.institution.schacHomeOrganization ?? config.institution.realm,
    institution: config.institution.name,
    ...config.vars,
  };
  const scope = vars.schacHomeOrganization as string;
  const anchorAttr = config.correlation.anchor;

  // Everyone the sources still have, valid or not: only the others have left.
  const present = new Set<string>();
  let unidentified = 0;
  for await (const r of store.invalidRecords()) {
    review.push({ record: r.record, ...(r.field ? { field: r.field } : {}), rule: "source-invalid", reason: r.reason, severity: "error" });
    if (r.id) present.add(anchorFor(`${r.source}:${r.id}`, scope));
    else unidentified++;
  }

  // Target state, indexed by normalized key and by anchor.
  const targetByKey = new Map<string, TargetEntry>();
  const targetByAnchor = new Map<string, TargetEntry>();
  const targetCount = { person: 0, group: 0 };
  const readProgress = inputs.progress?.("target");
  let read = 0;
  for await (const entry of target.read()) {
    if (readProgress && ++read % 1000 === 0) readProgress(read);
    targetByKey.set(normKey(entry.key), entry);
    targetCount[entry.type]++;
    if (entry.type === "person") for (const a of attrValues(entry.attrs, anchorAttr)) targetByAnchor.set(a, entry);
  }

  readProgress?.(targetByKey.size, targetByKey.size);

  // Groups first: selection by group needs each person's group names.
  const groups: Group[] = [];
  const groupsOf = new Map<string, Set<string>>();
  const addGroupOf = (ref: string, g: Group) => {
    let set = groupsOf.get(ref);
    if (!set) groupsOf.set(ref, (set = new Set()));
    set.add(g.id);
    set.add(g.name);
  };
  const groupById = new Map<string, Group>();
  for await (const g of store.groups()) {
    groups.push(g);
    groupById.set(refOf(g), g);
  }
  for (const g of groups) {
    for (const memberId of resolveMembers(g, groupById)) addGroupOf(`${g.source}:${memberId}`, g);
  }

  // Map persons.
  const mapped: Mapped[] = [];
  const mapProgress = inputs.progress?.("map");
  let seen = 0;
  for await (const person of store.persons()) {
    seen++;
    if (mapProgress && seen % 5000 === 0) mapProgress(seen);
    const ref = refOf(person);
    const refAnchor = anchorFor(ref, scope);
    present.add(refAnchor);
    for (const g of person.groups) {
      const group = groupById.get(`${person.source}:${g}`);
      if (group) addGroupOf(ref, group);
      else {
        let set = groupsOf.get(ref);
        if (!set) groupsOf.set(ref, (set = new Set()));
        set.add(g);
      }
    }
    const eckId = inputs.eckIds?.get(ref);
    if (eckId !== undefined && person.ext.eckId === undefined) person.ext.eckId = eckId;
    const inputProblems = validateSourceRecord(ref, person);
    if (inputProblems.length) {
      review.push(...inputProblems);
      continue;
    }
    const result = mapper.mapPerson(person, vars);
    if (!result.ok) {
      for (const e of result.errors) review.push({ record: ref, field: e.field, rule: "mapping", reason: e.reason, severity: "error" });
      continue;
    }
    const problems = checkMapped(ref, result.key, result.attrs);
    if (inputs.validate) problems.push(...inputs.validate(result.attrs, ref));
    const errors = problems.filter((p) => p.severity === "error");
    review.push(...problems);
    if (errors.length) continue;
    const mappedAnchor = attrValues(result.attrs, anchorAttr)[0];
    const anchor = mappedAnchor ?? refAnchor;
    if (mappedAnchor === undefined) result.attrs[anchorAttr] = [anchor];
    else present.add(anchor);
    const attrs = result.attrs;
    mapped.push({
      ref,
      person,
      key: result.key,
      norm: normKey(result.key),
      attrs,
      anchor,
      selected: inPopulation(config.stages, stageIndex, { person, attrs, groups: groupsOf.get(ref) ?? new Set() }),
      dropped: false,
    });
  }
  mapProgress?.(seen, seen);

  await assignIdentifiers(mapped, review, config.identifiers, store, targetByKey, targetByAnchor, anchorAttr);
  markDuplicates(mapped, review, [...(inputs.uniqueAttributes ?? ["uid", "mail", "eduPersonPrincipalName"]), anchorAttr], targetByAnchor);

  // Correlate and diff persons.
  const ops: Operation[] = [];
  const managedPerson = [...new Set([...mapper.attributes.person, anchorAttr])];
  const identityKeys = new Set(config.safety.identityKeys.map((k) => k.toLowerCase()));
  const allowed = new Set<OperationKind>(stage.allow);
  const finalKeyOf = new Map<string, string>();
  let unchangedPersons = 0;
  let population = 0;
  for (const m of mapped) {
    if (m.dropped) continue;
    const existing = targetByAnchor.get(m.anchor) ?? unanchored(targetByKey.get(m.norm), anchorAttr);
    if (existing) finalKeyOf.set(m.ref, existing.key);
    if (!m.selected) continue;
    population++;
    if (!existing) {
      if (!m.person.enabled) continue;
      const occupied = targetByKey.get(m.norm);
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
      ops.push({ seq: 0, kind: "create", type: "person", key: m.key, ref: m.ref, attrs: m.attrs, fingerprint: null });
      finalKeyOf.set(m.ref, m.key);
      continue;
    }
    const before = fingerprint(existing);
    const changes = diffAttributes(existing.attrs, m.attrs, managedPerson);
    const renamed = normKey(existing.key) !== m.norm;
    const disabled = isDisabled(existing, config);
    const identityChanges = changedIdentityKeys(existing, changes, identityKeys);
    const extra = identityChanges.length ? { identityChanges } : {};
    let key = existing.key;
    let state: TargetEntry | null = existing;
    const push = (op: Operation) => {
      ops.push(op);
      state = expectedAfter(op, state);
      key = op.newKey ?? op.key;
    };
    if (renamed && allowed.has("rename")) {
      if (targetByKey.has(m.norm)) {
        review.push({ record: m.ref, field: "key", rule: "rename-conflict", reason: `cannot rename ${existing.key}: ${m.key} is taken`, severity: "error", candidates: [m.key] });
        continue;
      }
      push({ seq: 0, kind: "rename", type: "person", key: existing.key, newKey: m.key, ref: m.ref, changes, fingerprint: before, ...extra });
      finalKeyOf.set(m.ref, m.key);
    } else if (changes.length && allowed.has("update")) {
      push({ seq: 0, kind: "update", type: "person", key: existing.key, ref: m.ref, changes, fingerprint: before, ...extra });
    }
    if (!m.person.enabled && !disabled && allowed.has("disable")) {
      push({ seq: 0, kind: "disable", type: "person", key, ref: m.ref, changes: disableChanges(config, now), fingerprint: fingerprint(state), purgeAfter: purgeDate(config, now).toISOString(), reason: "disabled at the source" });
    } else if (m.person.enabled && disabled && allowed.has("enable")) {
      push({ seq: 0, kind: "enable", type: "person", key, ref: m.ref, changes: enableChanges(config), fingerprint: fingerprint(state) });
    }
    if (state === existing) unchangedPersons++;
  }

  // Managed entries whose person left the source: disable, later delete; only in a stage that
  // selects everyone, and not while a source has records it could not identify.
  let heldBack = 0;
  const everyone = config.stages.slice(0, stageIndex + 1).some((s) => s.select.all === true);
  for (const entry of everyone ? targetByAnchor.values() : []) {
    const anchor = attrValues(entry.attrs, anchorAttr)[0];
    if (anchor === undefined || present.has(anchor)) continue;
    if (!isDisabled(entry, config)) {
      if (unidentified > 0) heldBack++;
      else if (allowed.has("disable")) {
        ops.push({ seq: 0, kind: "disable", type: "person", key: entry.key, changes: disableChanges(config, now), fingerprint: fingerprint(entry), purgeAfter: purgeDate(config, now).toISOString(), reason: "no longer in the source" });
      }
    } else if (allowed.has("delete") && purgeDue(entry, config, now)) {
      ops.push({ seq: 0, kind: "delete", type: "person", key: entry.key, fingerprint: fingerprint(entry), reason: "disabled and past its purge date" });
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
    const managedPersonKeys = new Set<string>();
    for (const e of targetByAnchor.values()) managedPersonKeys.add(normKey(e.key));
    for (const k of finalKeyOf.values()) managedPersonKeys.add(normKey(k));
    const managedGroup = mapper.attributes.group.filter((a) => a.toLowerCase() !== memberAttr.toLowerCase());
    const groupKeys = new Set<string>();
    for (const g of groups) {
      const ref = refOf(g);
      const result = mapper.mapGroup(g, vars);
      if (!result) continue;
      if (!result.ok) {
        for (const e of result.errors) review.push({ record: ref, field: e.field, rule: "mapping", reason: e.reason, severity: "error" });
        continue;
      }
      const inputProblems = validateSourceRecord(ref, { name: g.name, displayName: g.displayName });
      if (inputProblems.length) {
        review.push(...inputProblems);
        continue;
      }
      const norm = normKey(result.key);
      if (groupKeys.has(norm)) {
        review.push({ record: ref, field: "key", rule: "duplicate", reason: `another group maps to ${result.key} too`, severity: "error" });
        continue;
      }
      groupKeys.add(norm);
      const members = [...resolveMembers(g, groupById)]
        .map((id) => finalKeyOf.get(`${g.source}:${id}`))
        .filter((k): k is string => k !== undefined);
      const existing = targetByKey.get(norm);
      if (!existing) {
        if (members.length === 0) continue;
        groupPopulation++;
        const first = members.slice(0, MEMBER_CHUNK);
        ops.push({ seq: 0, kind: "create", type: "group", key: result.key, ref, attrs: { ...result.attrs, [memberAttr]: first }, fingerprint: null });
        for (let i = MEMBER_CHUNK; i < members.length; i += MEMBER_CHUNK) {
          ops.push({ seq: 0, kind: "add-members", type: "group", key: result.key, ref, changes: [{ attr: memberAttr, add: members.slice(i, i + MEMBER_CHUNK) }], fingerprint: null });
        }
        continue;
      }
      groupPopulation++;
      const before = fingerprint(existing);
      let changed = false;
      const changes = diffAttributes(existing.attrs, result.attrs, managedGroup);
      if (changes.length && allowed.has("update")) {
        ops.push({ seq: 0, kind: "update", type: "group", key: existing.key, ref, changes, fingerprint: before });
        changed = true;
      }
      const have = attrValues(existing.attrs, memberAttr);
      const haveNorm = new Set(have.map(normKey));
      const wantNorm = new Set(members.map(normKey));
      const add = members.filter((k) => !haveNorm.has(normKey(k)));
      const remove = have.filter((k) => !wantNorm.has(normKey(k)) && managedPersonKeys.has(normKey(k)));
      if (allowed.has("add-members")) {
        for (let i = 0; i < add.length; i += MEMBER_CHUNK) {
          ops.push({ seq: 0, kind: "add-members", type: "group", key: existing.key, ref, changes: [{ attr: memberAttr, add: add.slice(i, i + MEMBER_CHUNK) }], fingerprint: before });
          changed = true;
        }
      }
      if (allowed.has("remove-members")) {
        for (let i = 0; i < remove.length; i += MEMBER_CHUNK) {
          ops.push({ seq: 0, kind: "remove-members", type: "group", key: existing.key, ref, changes: [{ attr: memberAttr, remove: remove.slice(i, i + MEMBER_CHUNK) }], fingerprint: before });
          changed = true;
        }
      }
      if (!changed) unchangedGroups++;
    }
  }

  const ordered = ops
    .map((op, i) => ({ op, i }))
    .sort((a, b) => phaseOf(a.op) - phaseOf(b.op) || a.i - b.i)
    .map(({ op }, seq) => ({ ...op, seq }));

  const summary = summarize(ordered, review, {
    unchanged: { person: unchangedPersons, group: unchangedGroups },
    population: { person: population, group: groupPopulation },
    target: targetCount,
  });
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
      target: targetHash(targetByKey),
    },
    summary,
  };
  return { header, operations: ordered, review };
}

async function requireCompleteSnapshots(config: Config, store: StateStore): Promise<void> {
  for (const name of Object.keys(config.sources)) {
    const info = await store.sourceInfo(name);
    if (!info) {
      throw new OverstapError("STATE_INVALID", `source "${name}" has not been pulled yet`, { hint: "Run `overstap pull` first." });
    }
    if (!info.complete) {
      throw new OverstapError("STATE_INVALID", `the last pull of source "${name}" did not finish; planning on half a snapshot would disable everyone missing from it`, {
        hint: "Run `overstap pull` again: it resumes where the interrupted pull stopped.",
      });
    }
  }
}

/**
 * Normal form of a target key for lookups: the DN normal form, with a fast path for the common
 * DN without escapes or quotes; lower case for keys that are not DNs.
 */
export function normKey(key: string): string {
  if (!/[\\"+;]/.test(key)) {
    const parts = key.split(",");
    let simple = true;
    for (let i = 0; i < parts.length && simple; i++) {
      const part = parts[i] as string;
      const eq = part.indexOf("=");
      if (eq <= 0) simple = false;
      else parts[i] = `${part.slice(0, eq).trim()}=${part.slice(eq + 1).trim()}`;
    }
    if (simple && !/[#]|^ | $/.test(key)) return parts.join(",").toLowerCase();
  }
  try {
    return normalizeDn(key);
  } catch {
    return key.toLowerCase();
  }
}

/** The anchor value for a source reference: opaque, stable, never reassigned (eduPersonUniqueId form). */
export function anchorFor(ref: string, scope: string): string {
  return `${createHash("sha256").update(ref).digest("hex").slice(0, 32)}@${scope}`;
}

function unanchored(entry: TargetEntry | undefined, anchorAttr: string): TargetEntry | undefined {
  if (!entry || entry.type !== "person") return undefined;
  return attrValues(entry.attrs, anchorAttr).length === 0 ? entry : undefined;
}

/**
 * Issues each identifier attribute (uid, ePPN) once per person and keeps it: a value issued on an
 * earlier run wins over what today's source data would give, and collisions get numbered
 * alternatives in a stable order. When the identifier is also the key's first RDN, the key
 * follows it.
 */
async function assignIdentifiers(
  mapped: Mapped[],
  review: ReviewItem[],
  attributes: string[],
  store: StateStore,
  targetByKey: Map<string, TargetEntry>,
  targetByAnchor: Map<string, TargetEntry>,
  anchorAttr: string,
): Promise<void> {
  for (const attr of attributes) {
    const taken: string[] = [];
    for (const e of targetByKey.values()) if (e.type === "person") taken.push(...attrValues(e.attrs, attr));
    const requests: IdentifierRequest[] = [];
    const byRef = new Map<string, Mapped>();
    for (const m of mapped) {
      const candidate = attrValues(m.attrs, attr)[0];
      if (candidate === undefined) continue;
      const linked = targetByAnchor.get(m.anchor) ?? unanchored(targetByKey.get(m.norm), anchorAttr);
      const current = linked ? attrValues(linked.attrs, attr)[0] : undefined;
      requests.push({ ref: m.ref, candidate, ...(current !== undefined ? { current } : {}) });
      byRef.set(m.ref, m);
    }
    if (requests.length === 0) continue;
    const registry = new IdentifierRegistry(store, { namespace: attr, taken });
    const assignment = await registry.assign(requests);
    review.push(...assignment.review);
    for (const item of assignment.review) {
      const m = byRef.get(item.record);
      if (m && item.severity === "error") m.dropped = true;
    }
    for (const [ref, value] of assignment.values) {
      const m = byRef.get(ref);
      if (!m) continue;
      const name = attrName(m.attrs, attr) ?? attr;
      const candidate = m.attrs[name]?.[0];
      if (candidate === value) continue;
      m.attrs[name] = [value, ...(m.attrs[name] ?? []).slice(1)];
      const rdns = parseDn(m.key);
      const first = rdns[0]?.[0];
      if (first && first.type.toLowerCase() === attr.toLowerCase() && first.value === candidate) {
        first.value = value;
        m.key = formatDn(rdns);
        m.norm = normKey(m.key);
      }
    }
    await registry.commit(assignment);
  }
}

function checkMapped(ref: string, key: string, attrs: Record<string, string[]>): ReviewItem[] {
  const items: ReviewItem[] = [];
  try {
    const rdn = parseDn(key)[0];
    if (!rdn || rdn.some((p) => p.value.trim() === "")) {
      items.push({ record: ref, field: "key", rule: "key-invalid", reason: `the key ${JSON.stringify(key)} has an empty name`, severity: "error" });
    } else {
      for (const p of rdn) {
        const problem = checkIdentifier(p.value);
        if (problem) items.push({ record: ref, field: p.type, rule: "identifier-invalid", reason: `${p.type} ${problem}`, severity: "error" });
      }
    }
  } catch {
    items.push({ record: ref, field: "key", rule: "key-invalid", reason: `the key ${JSON.stringify(key)} is not a valid DN`, severity: "error" });
  }
  for (const name of IDENTIFIER_ATTRS) {
    for (const v of attrValues(attrs, name)) {
      const problem = checkIdentifier(v);
      if (problem && !items.some((i) => i.field === name)) {
        items.push({ record: ref, field: name, rule: "identifier-invalid", reason: `${name} ${problem}`, severity: "error" });
      }
    }
  }
  return items;
}

function markDuplicates(
  mapped: Mapped[],
  review: ReviewItem[],
  unique: string[],
  targetByAnchor: Map<string, TargetEntry>,
): void {
  const fields: [string, (m: Mapped) => string[]][] = [
    ["key", (m) => [m.norm]],
    ...unique.map((a): [string, (m: Mapped) => string[]] => [a, (m) => attrValues(m.attrs, a).map((v) => v.toLowerCase())]),
  ];
  for (const [field, values] of fields) {
    const holders = new Map<string, Mapped[]>();
    for (const m of mapped) {
      for (const v of values(m)) {
        const list = holders.get(v);
        if (list) list.push(m);
        else holders.set(v, [m]);
      }
    }
    for (const [value, list] of holders) {
      if (list.length < 2) continue;
      // A person already linked to a target entry holding the value keeps it.
      const keeper = list.find((m) => {
        const linked = targetByAnchor.get(m.anchor);
        return linked !== undefined && (field === "key" ? normKey(linked.key) === value : attrValues(linked.attrs, field).some((v) => v.toLowerCase() === value));
      });
      for (const m of list) {
        if (m === keeper || m.dropped) continue;
        m.dropped = true;
        review.push({
          record: m.ref,
          field,
          rule: "duplicate",
          reason: `${field} ${JSON.stringify(field === "key" ? m.key : value)} is also produced for ${list.filter((o) => o !== m).map((o) => o.ref).join(", ")}`,
          severity: "error",
          candidates: list.filter((o) => o !== m).map((o) => o.ref),
        });
      }
    }
  }
}

function changedIdentityKeys(existing: TargetEntry, changes: AttrChange[], identityKeys: Set<string>): string[] {
  return changes
    .filter((c) => identityKeys.has(c.attr.toLowerCase()) && attrValues(existing.attrs, c.attr).length > 0)
    .map((c) => c.attr);
}

function isDisabled(entry: TargetEntry, config: Config): boolean {
  return attrValues(entry.attrs, config.disable.attribute).includes(config.disable.value);
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
    ...(config.disable.objectClasses.length ? [{ attr: "objectClass", add: config.disable.objectClasses }] : []),
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

/** Transitive person members of a group; nested groups resolved, cycles tolerated. */
function resolveMembers(group: Group, groupById: Map<string, Group>): Set<string> {
  const out = new Set<string>();
  const visited = new Set<string>([refOf(group)]);
  const stack = [group];
  while (stack.length) {
    const g = stack.pop() as Group;
    for (const id of g.members) {
      const nested = groupById.get(`${g.source}:${id}`);
      if (nested) {
        const ref = refOf(nested);
        if (!visited.has(ref)) {
          visited.add(ref);
          stack.push(nested);
        }
      } else out.add(id);
    }
  }
  return out;
}

function summarize(
  ops: Operation[],
  review: ReviewItem[],
  extra: Pick<Summary, "unchanged" | "population" | "target">,
): Summary {
  const summary: Summary = {
    person: {},
    group: {},
    identityChanges: 0,
    review: { error: 0, warning: 0 },
    ...extra,
  };
  for (const op of ops) {
    const bucket = summary[op.type as ObjectType];
    bucket[op.kind] = (bucket[op.kind] ?? 0) + 1;
    if (op.identityChanges?.length) summary.identityChanges++;
  }
  for (const r of review) summary.review[r.severity]++;
  return summary;
}

function targetHash(byKey: Map<string, TargetEntry>): string {
  const h = createHash("sha256");
  for (const k of [...byKey.keys()].sort()) h.update(`${fingerprint(byKey.get(k) ?? null)}\n`);
  return h.digest("hex").slice(0, 32);
}
