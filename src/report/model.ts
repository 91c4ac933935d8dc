import type { Operation, OperationKind } from "../model/operation.js";
import type { PlanHeader } from "../model/plan.js";
import type { ReviewItem } from "../model/review.js";
import { DEFAULT_FACT_ATTRIBUTES, type FactAttributes, FactReader } from "./person-facts.js";
import {
  type AttributeCoverage,
  type KindCounts,
  type PersonLine,
  type PlanReport,
  REPORT_FORMAT,
  REPORT_VERSION,
  type Readiness,
  type ReviewLine,
  type RuleGroup,
  type SchoolRow,
} from "./schema.js";
import { checkThresholds, limitsFromHeader, type SafetyLimits } from "./thresholds.js";

/** A federation profile's attributes, as far as the report needs them. */
export interface ProfileAttributes {
  name?: string;
  required: string[];
  optional: string[];
}

export interface PlanReportOptions {
  /** Adds per-person lines and the full review list (for IT staff; off for board reports). */
  includeNames?: boolean;
  /** The federation profile to measure readiness against; without it there is no readiness. */
  profile?: ProfileAttributes;
  /** Which attributes hold school, role and ECK iD; defaults follow Entree. */
  attributes?: Partial<FactAttributes>;
  /** Safety limits when the plan header carries none (`safety` of overstap.yaml). */
  safety?: SafetyLimits;
  /** The plan file's path, for the apply command the report shows. */
  planFile?: string;
}

/**
 * The readiness attributes of a loaded federation profile: attributes that need at least one
 * value are required, the others optional.
 */
export function profileAttributes(profile: {
  name: string;
  attributes: { name: string; min: number }[];
}): ProfileAttributes {
  return {
    name: profile.name,
    required: profile.attributes.filter((a) => a.min > 0).map((a) => a.name),
    optional: profile.attributes.filter((a) => a.min === 0).map((a) => a.name),
  };
}

const STUDENT = "student";
const FULL_ENTRY_KINDS = new Set<OperationKind>(["create", "update", "rename", "enable"]);
const DUPLICATE_RULE = /duplicate|ambiguous|dubbel/i;

interface Cell {
  counts: KindCounts;
  total: number;
}

/**
 * Aggregates a plan into the report model: counts per school × role × operation kind, risks,
 * readiness against the profile and, only with `includeNames`, the per-person lines. Reads
 * each operation once, so a 100k-operation plan streams through in a fraction of a second.
 *
 * @example
 * const report = buildPlanReport(header, ops, review, { profile: { required: ["uid"], optional: [] } });
 */
export function buildPlanReport(
  header: PlanHeader,
  operations: Iterable<Operation>,
  review: Iterable<ReviewItem>,
  options: PlanReportOptions = {},
): PlanReport {
  const attrs: FactAttributes = { ...DEFAULT_FACT_ATTRIBUTES, ...options.attributes };
  const totals = { person: {} as KindCounts, group: {} as KindCounts, all: {} as KindCounts };
  const schools = new Map<string | null, Cell & { roles: Map<string | null, Cell> }>();
  const identity: Record<string, number> = {};
  const coverage = options.profile ? new CoverageCounter(options.profile) : undefined;
  const reader = new FactReader(attrs, coverage?.attributes ?? []);
  const lines: PersonLine[] = [];
  let operationCount = 0;
  let identityCount = 0;
  let students = 0;
  let studentsWithoutEckId = 0;
  let earliestPurge: string | null = null;

  for (const op of operations) {
    operationCount++;
    bump(totals[op.type], op.kind);
    bump(totals.all, op.kind);
    if (op.identityChanges && op.identityChanges.length > 0) {
      identityCount++;
      for (const a of op.identityChanges) identity[a] = (identity[a] ?? 0) + 1;
    }
    if (op.kind === "disable" && op.purgeAfter && (earliestPurge === null || op.purgeAfter < earliestPurge)) {
      earliestPurge = op.purgeAfter;
    }
    reader.read(op);
    const facts = reader.facts();
    if (op.type === "person") {
      addToSchool(schools, facts.school, facts.role, op.kind);
      const fullEntry = op.kind === "create" || (op.attrs !== undefined && FULL_ENTRY_KINDS.has(op.kind));
      if (fullEntry) {
        coverage?.add(reader);
        if (facts.role === STUDENT) {
          students++;
          if (!facts.hasEckId) studentsWithoutEckId++;
        }
      } else if (op.kind === "update") {
        coverage?.checkRemoval(op);
      }
    }
    if (options.includeNames) {
      lines.push({
        seq: op.seq,
        kind: op.kind,
        type: op.type,
        key: op.key,
        name: facts.name,
        school: facts.school,
        role: facts.role,
        attrs: op.attrs ? Object.keys(op.attrs) : (op.changes ?? []).map((c) => c.attr),
        identityChanges: op.identityChanges ?? [],
      });
    }
  }

  const reviewed = aggregateReview(review, options.includeNames === true);
  const targetBase = header.summary.target.person + header.summary.target.group;
  const limits = limitsFromHeader(header) ?? options.safety;

  return {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    kind: "plan",
    plan: {
      id: header.id,
      createdAt: header.createdAt,
      stage: header.stage,
      stageIndex: header.stageIndex,
      kind: header.kind,
      rollbackOf: header.rollbackOf ?? null,
      institution: header.institution,
      profile: header.profile,
      target: header.target,
      inputs: { ...header.inputs },
      file: options.planFile ?? null,
    },
    totals: {
      operations: operationCount,
      person: totals.person,
      group: totals.group,
      unchanged: { ...header.summary.unchanged },
      population: { ...header.summary.population },
      target: { ...header.summary.target },
    },
    schools: schoolRows(schools),
    risks: {
      identityChanges: { count: identityCount, byAttribute: identity },
      leftOut: { count: reviewed.errors, byRule: reviewed.groups.filter((g) => g.severity === "error") },
      warnings: { count: reviewed.warnings, byRule: reviewed.groups.filter((g) => g.severity === "warning") },
      duplicates: reviewed.duplicates,
      missingEckId: { students, missing: studentsWithoutEckId },
      disables: { count: totals.all.disable ?? 0, earliestPurge },
      deletes: totals.all.delete ?? 0,
      thresholds: limits ? checkThresholds(limits, totals.all, targetBase) : [],
    },
    readiness: coverage ? coverage.result(options.profile?.name ?? header.profile) : null,
    names: options.includeNames ? { operations: lines, review: reviewed.lines } : null,
  };
}

function bump(counts: KindCounts, kind: OperationKind): void {
  counts[kind] = (counts[kind] ?? 0) + 1;
}

function addToSchool(
  schools: Map<string | null, Cell & { roles: Map<string | null, Cell> }>,
  school: string | null,
  role: string | null,
  kind: OperationKind,
): void {
  let row = schools.get(school);
  if (!row) {
    row = { counts: {}, total: 0, roles: new Map() };
    schools.set(school, row);
  }
  bump(row.counts, kind);
  row.total++;
  let cell = row.roles.get(role);
  if (!cell) {
    cell = { counts: {}, total: 0 };
    row.roles.set(role, cell);
  }
  bump(cell.counts, kind);
  cell.total++;
}

const ROLE_ORDER = ["student", "employee", "faculty", "staff", "affiliate", "pre-student", "member"];

function roleRank(role: string | null): number {
  if (role === null) return ROLE_ORDER.length + 1;
  const i = ROLE_ORDER.indexOf(role);
  return i === -1 ? ROLE_ORDER.length : i;
}

function nullsLast(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a.localeCompare(b);
}

function schoolRows(schools: Map<string | null, Cell & { roles: Map<string | null, Cell> }>): SchoolRow[] {
  return [...schools.entries()]
    .sort(([a], [b]) => nullsLast(a, b))
    .map(([school, row]) => ({
      school,
      counts: row.counts,
      total: row.total,
      roles: [...row.roles.entries()]
        .sort(([a], [b]) => roleRank(a) - roleRank(b) || nullsLast(a, b))
        .map(([role, cell]) => ({ role, counts: cell.counts, total: cell.total })),
    }));
}

function aggregateReview(review: Iterable<ReviewItem>, includeNames: boolean) {
  const groups = new Map<string, RuleGroup & { fieldSet: Set<string> }>();
  const lines: ReviewLine[] = [];
  // Counted per record: one person with three problems is one person left out.
  const errorRecords = new Set<string>();
  const warningRecords = new Set<string>();
  const duplicateRecords = new Set<string>();
  for (const item of review) {
    (item.severity === "error" ? errorRecords : warningRecords).add(item.record);
    if (DUPLICATE_RULE.test(item.rule) || (item.candidates?.length ?? 0) > 1)
      duplicateRecords.add(item.record);
    const id = `${item.severity}\0${item.rule}`;
    let g = groups.get(id);
    if (!g) {
      g = { rule: item.rule, severity: item.severity, count: 0, fields: [], fieldSet: new Set() };
      groups.set(id, g);
    }
    g.count++;
    if (item.field) g.fieldSet.add(item.field);
    if (includeNames) {
      lines.push({
        record: item.record,
        field: item.field ?? null,
        rule: item.rule,
        severity: item.severity,
        reason: item.reason,
        candidates: item.candidates ?? [],
      });
    }
  }
  const sorted = [...groups.values()]
    .sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule))
    .map(({ fieldSet, ...g }) => ({ ...g, fields: [...fieldSet].sort().slice(0, 10) }));
  for (const r of errorRecords) warningRecords.delete(r);
  return {
    groups: sorted,
    lines,
    errors: errorRecords.size,
    warnings: warningRecords.size,
    duplicates: duplicateRecords.size,
  };
}

class CoverageCounter {
  readonly #required: string[];
  readonly #optional: string[];
  readonly #present: number[];
  readonly #requiredLower: Set<string>;
  /** Required then optional attributes: the order {@link FactReader.has} is asked in. */
  readonly attributes: string[];
  #basis = 0;
  #complete = 0;
  #removed = 0;

  constructor(profile: ProfileAttributes) {
    this.#required = [...profile.required];
    this.#optional = [...profile.optional];
    this.#requiredLower = new Set(this.#required.map((a) => a.toLowerCase()));
    this.attributes = [...this.#required, ...this.#optional];
    this.#present = this.attributes.map(() => 0);
  }

  add(reader: FactReader): void {
    this.#basis++;
    let complete = true;
    for (let i = 0; i < this.#present.length; i++) {
      if (reader.has(i)) this.#present[i] = (this.#present[i] ?? 0) + 1;
      else if (i < this.#required.length) complete = false;
    }
    if (complete) this.#complete++;
  }

  checkRemoval(op: Operation): void {
    const removes = (op.changes ?? []).some((c) => {
      if (!this.#requiredLower.has(c.attr.toLowerCase())) return false;
      if (c.replace !== undefined) return c.replace.length === 0;
      const from = c.from ?? [];
      return !c.add?.length && from.length > 0 && from.every((v) => c.remove?.includes(v));
    });
    if (removes) this.#removed++;
  }

  result(profile: string): Readiness {
    const cover = (attr: string, i: number): AttributeCoverage => {
      const present = this.#present[i] ?? 0;
      return { attr, present, percent: this.#basis > 0 ? (present / this.#basis) * 100 : 0 };
    };
    const offset = this.#required.length;
    const optional = this.#optional.map((a, i) => cover(a, offset + i));
    return {
      profile,
      basis: this.#basis,
      requiredComplete: this.#complete,
      requiredPercent: this.#basis > 0 ? (this.#complete / this.#basis) * 100 : 0,
      optionalPercent:
        optional.length > 0 ? optional.reduce((s, c) => s + c.percent, 0) / optional.length : 100,
      required: this.#required.map((a, i) => cover(a, i)),
      optional,
      requiredRemoved: this.#removed,
    };
  }
}
