import type { Safety } from "../config/schema.js";
import type { Operation, OperationKind } from "../model/operation.js";
import type { PlanHeader } from "../model/plan.js";
import type { ReviewItem } from "../model/review.js";
import { planFingerprint } from "../plan/fingerprint.js";
import { CoverageCounter, type ProfileAttributes } from "./coverage.js";
import { DEFAULT_FACT_ATTRIBUTES, type FactAttributes, FactReader } from "./person-facts.js";
import { summarizeReview } from "./review-summary.js";
import {
  type Display,
  type KindCounts,
  type PersonLine,
  type PlanReport,
  REPORT_FORMAT,
  REPORT_VERSION,
  type SchoolRow,
} from "./schema.js";
import { checkThresholds } from "./thresholds.js";
import { DEFAULT_VERDICT_POLICY, planVerdict, type VerdictPolicy } from "./verdict.js";

export type { ProfileAttributes } from "./coverage.js";

export interface PlanReportOptions {
  /** Adds per-person lines and the full review list (for IT staff; off for board reports). */
  includeNames?: boolean;
  /** The federation profile to measure readiness against; without it there is no readiness. */
  profile?: ProfileAttributes;
  /** Which attributes hold school, role and ECK iD; defaults follow Entree. */
  attributes?: Partial<FactAttributes>;
  /** The safety limits (`safety:` of overstap.yaml); without them the report warns that none are set. */
  safety?: Safety;
  /** When a plan is ready (default: at most 5 % of the stage's persons left out). */
  policy?: Partial<VerdictPolicy>;
  /** Smallest count shown exactly and the institution's role labels (default 5, none). */
  display?: Partial<Display>;
  /**
   * The target entry's attributes by key (lower-cased), for operations that do not show
   * school or role themselves (updates, disables, deletes).
   */
  entryOf?: (key: string) => Record<string, string[]> | undefined;
  /** The login attribute and the pattern of its values (the mapping's template), for "what people notice". */
  login?: { attribute: string; pattern: string | null };
  /** The plan's content hash (its trailer's), for the fingerprint. */
  hash?: string;
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

interface Cell {
  counts: KindCounts;
  total: number;
}
type SchoolCell = Cell & { roles: Map<string | null, Cell>; names: Map<string, number> };

/** Everything counted in one pass over the operations. */
class PlanCounts {
  readonly person: KindCounts = {};
  readonly group: KindCounts = {};
  readonly personKeys = new Set<string>();
  readonly groupKeys = new Set<string>();
  readonly schools = new Map<string | null, SchoolCell>();
  readonly identity: Record<string, number> = {};
  readonly lines: PersonLine[] = [];
  operations = 0;
  identityCount = 0;
  adoptions = 0;
  students = 0;
  studentsWithoutEckId = 0;
  earliestPurge: string | null = null;
}

/**
 * Aggregates a plan into the report model: the verdict, counts per school × role × operation
 * kind, risks, readiness against the profile and, only with `includeNames`, the per-person
 * lines. Reads each operation once, so a 100k-operation plan streams through in a fraction of
 * a second. Every figure any format shows comes from this model.
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
  const coverage = options.profile ? new CoverageCounter(options.profile) : undefined;
  const reader = new FactReader(attrs, coverage?.attributes ?? []);
  const c = new PlanCounts();
  for (const op of operations) countOperation(c, op, reader, coverage, options);

  const reviewed = summarizeReview(review, options.includeNames === true);
  const counted = { ...header.summary, person: c.person, group: c.group };
  const risks = {
    identityChanges: { count: c.identityCount, byAttribute: c.identity },
    leftOut: { count: reviewed.errors, byRule: reviewed.groups.filter((g) => g.severity === "error") },
    warnings: { count: reviewed.warnings, byRule: reviewed.groups.filter((g) => g.severity === "warning") },
    ambiguous: reviewed.ambiguous,
    sharedValues: reviewed.sharedValues,
    adoptions: Math.max(c.adoptions, header.summary.adoptions),
    missingEckId: { students: c.students, missing: c.studentsWithoutEckId },
    disables: { person: c.person.disable ?? 0, group: c.group.disable ?? 0, earliestPurge: c.earliestPurge },
    deletes: { person: c.person.delete ?? 0, group: c.group.delete ?? 0 },
    thresholds: options.safety ? checkThresholds(options.safety, counted) : [],
  };
  const readiness = coverage
    ? coverage.result(options.profile?.name ?? header.profile, reviewed.errors, reviewed.missingFields)
    : null;
  const policy = { ...DEFAULT_VERDICT_POLICY, ...options.policy };
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
      fingerprint: options.hash ? planFingerprint(options.hash) : null,
    },
    verdict: planVerdict({ risks, readiness, persons: header.summary.population.person }, policy),
    experience: options.login ?? { attribute: "uid", pattern: null },
    display: { minCount: options.display?.minCount ?? 5, roles: { ...options.display?.roles } },
    totals: {
      operations: c.operations,
      persons: c.personKeys.size,
      groups: c.groupKeys.size,
      sourceDisabled: header.summary.sourceDisabled ?? 0,
      person: c.person,
      group: c.group,
      unchanged: { ...header.summary.unchanged },
      population: { ...header.summary.population },
      target: { ...header.summary.target },
    },
    schools: schoolRows(c.schools),
    risks,
    readiness,
    names: options.includeNames ? { operations: c.lines, review: reviewed.lines } : null,
  };
}

function countOperation(
  c: PlanCounts,
  op: Operation,
  reader: FactReader,
  coverage: CoverageCounter | undefined,
  options: PlanReportOptions,
): void {
  c.operations++;
  bump(c[op.type], op.kind);
  (op.type === "person" ? c.personKeys : c.groupKeys).add(op.key.toLowerCase());
  if (op.adopt) c.adoptions++;
  if (op.identityChanges && op.identityChanges.length > 0) {
    c.identityCount++;
    for (const a of op.identityChanges) c.identity[a] = (c.identity[a] ?? 0) + 1;
  }
  if (
    op.kind === "disable" &&
    op.purgeAfter &&
    (c.earliestPurge === null || op.purgeAfter < c.earliestPurge)
  ) {
    c.earliestPurge = op.purgeAfter;
  }
  const entry =
    op.kind === "create" || op.type !== "person" ? undefined : options.entryOf?.(op.key.toLowerCase());
  reader.read(op, entry);
  const facts = reader.facts();
  if (op.type === "person") {
    addToSchool(c.schools, facts.school, facts.schoolName, facts.role, op.kind);
    const fullEntry = op.kind === "create" || (op.attrs !== undefined && FULL_ENTRY_KINDS.has(op.kind));
    if (fullEntry) {
      coverage?.add(reader);
      if (facts.role === STUDENT) {
        c.students++;
        if (!facts.hasEckId) c.studentsWithoutEckId++;
      }
    } else if (op.kind === "update") {
      coverage?.checkRemoval(op);
    }
  }
  if (options.includeNames) {
    c.lines.push({
      seq: op.seq,
      kind: op.kind,
      type: op.type,
      key: op.key,
      name: facts.name,
      school: facts.school,
      role: facts.role,
      attrs: op.attrs ? Object.keys(op.attrs) : (op.changes ?? []).map((ch) => ch.attr),
      identityChanges: op.identityChanges ?? [],
    });
  }
}

function bump(counts: KindCounts, kind: OperationKind): void {
  counts[kind] = (counts[kind] ?? 0) + 1;
}

function addToSchool(
  schools: Map<string | null, SchoolCell>,
  school: string | null,
  name: string | null,
  role: string | null,
  kind: OperationKind,
): void {
  let row = schools.get(school);
  if (!row) {
    row = { counts: {}, total: 0, roles: new Map(), names: new Map() };
    schools.set(school, row);
  }
  bump(row.counts, kind);
  row.total++;
  if (name) row.names.set(name, (row.names.get(name) ?? 0) + 1);
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

/** The name most of a school's accounts carry. */
function commonName(names: Map<string, number>): string | null {
  let best: string | null = null;
  let most = 0;
  for (const [name, n] of names) {
    if (n > most) [best, most] = [name, n];
  }
  return best;
}

function schoolRows(schools: Map<string | null, SchoolCell>): SchoolRow[] {
  return [...schools.entries()]
    .sort(([a], [b]) => nullsLast(a, b))
    .map(([school, row]) => ({
      school,
      name: commonName(row.names),
      counts: row.counts,
      total: row.total,
      roles: [...row.roles.entries()]
        .sort(([a], [b]) => roleRank(a) - roleRank(b) || nullsLast(a, b))
        .map(([role, cell]) => ({ role, counts: cell.counts, total: cell.total })),
    }));
}
