import type { Project } from "../app/project.js";
import { SILENT, type Steps } from "../app/steps.js";
import { resolveSecret } from "../config/secret.js";
import type { Person } from "../model/person.js";
import type { ReviewItem } from "../model/review.js";
import type { EckidConfig } from "./config.js";
import type { HashBatchOptions } from "./hash-pool.js";
import { decodeSalt, type ScryptParams } from "./hpgn.js";
import { targetEckIds } from "./in-target.js";
import { lazyEckIdService } from "./lazy-client.js";
import { pgnSourceConfig, readPgnColumn } from "./pgn-column.js";
import {
  type EckIdIssue,
  type EckIdService,
  emptyResolveStats,
  type ResolveStats,
  resolveEckIds,
} from "./resolve.js";

const MIB = 1024 * 1024;

/** Where the ECK iDs of a plan came from, and how many HPGNs were computed for it. */
export interface PlanStepStats extends ResolveStats {
  hashed: number;
}

export interface PlanStepOptions {
  /** Filled per source reference with what could not be resolved, for the plan's review list. */
  review?: Map<string, ReviewItem[]>;
  /** Filled with where every ECK iD came from. */
  stats?: PlanStepStats;
  /** Cheaper scrypt parameters, for tests only: HPGNs made with them are not Kennisnet's. */
  params?: ScryptParams;
  /** A Nummervoorziening to use instead of the configured endpoint (tests). */
  client?: EckIdService;
}

/** The configured carried-over value of a person: a Person field or `ext.<key>`. */
function carryOverOf(
  field: string | undefined,
): ((person: Person) => string | string[] | undefined) | undefined {
  if (field === undefined) return undefined;
  if (field.startsWith("ext.")) {
    const key = field.slice(4);
    return (person) => person.ext[key];
  }
  return (person) => {
    const value = (person as Record<string, unknown>)[field];
    return typeof value === "string" ? value : undefined;
  };
}

function hashOptions(
  config: EckidConfig,
  salt: Buffer,
  params: ScryptParams | undefined,
): Omit<HashBatchOptions, "onResult" | "progress"> {
  const staffForm = config.pgn?.staffForm;
  return {
    salt,
    ...(params ? { params } : {}),
    ...(config.hashing?.concurrency ? { concurrency: config.hashing.concurrency } : {}),
    ...(config.hashing?.memoryLimitMiB ? { memoryLimitBytes: config.hashing.memoryLimitMiB * MIB } : {}),
    ...(staffForm ? { rules: { staffForm: new RegExp(staffForm, "i") } } : {}),
  };
}

/** A review item for a person whose ECK iD could not be resolved (never with the PGN). */
export function eckIdReviewItem(issue: EckIdIssue, pgnColumn: string): ReviewItem {
  const reason = issue.reason.startsWith(`${issue.ref}: `)
    ? issue.reason.slice(issue.ref.length + 2)
    : issue.reason;
  return {
    record: issue.ref,
    field: issue.field === "pgn" ? pgnColumn : issue.field,
    rule: "eckid",
    reason: issue.code === "SOURCE_INVALID" ? reason : `no ECK iD: ${reason}`,
    severity: "warning",
  };
}

/** One line about where a plan's ECK iDs came from. */
export function describePlanStep(s: PlanStepStats): string {
  return `ECK iDs: ${s.carriedOver} carried over, ${s.inTarget} from the target, ${s.cached} cached, ${s.fetched} fetched (${s.hashed} hashed), ${s.withoutPgn} without PGN, ${s.failed} failed`;
}

/**
 * The ECK iD step of `overstap plan`: when the configuration's `eckid` section names a PGN
 * column (`eckid.pgn`), finds the ECK iD of every person of that CSV source, cheapest first:
 * carried over (`eckid.carryOver`, else an `ext` key ending in `eckId`), already in the target,
 * cached, and only then hashed and fetched from the Nummervoorziening (cached per batch, so a
 * killed plan resumes). The PGN column is read from the source's file into memory only, and
 * cleared when done; the connection is made only if something must be fetched. Returns
 * `source:id` → ECK iD for the planner, or undefined without `eckid.pgn` or before the source
 * was pulled completely (the planner then says so).
 *
 * @example
 * const eckIds = await resolveForPlan(project, steps(opts));
 * const plan = await buildPlan({ …, ...(eckIds ? { eckIds } : {}) });
 */
export async function resolveForPlan(
  project: Project,
  progress: Steps = SILENT,
  options: PlanStepOptions = {},
): Promise<Map<string, string> | undefined> {
  const { loaded, store } = project;
  const config = loaded.config.eckid;
  const pgn = config?.pgn;
  if (config === undefined || pgn === undefined) return undefined;
  pgnSourceConfig(loaded, pgn);
  if (!(await store.sourceInfo(pgn.source))?.complete) return undefined;

  const salt = decodeSalt(
    await resolveSecret(config.salt, `${loaded.file}: eckid.salt`, loaded.baseDir),
    "eckid.salt",
  );
  const persons: Person[] = [];
  for await (const person of store.persons(pgn.source)) persons.push(person);
  const inTarget = await targetEckIds(
    await project.target(),
    loaded.config,
    await project.mapping(),
    progress.step("ECK iD: read target"),
  );
  const pgns = await readPgnColumn(loaded, pgn, progress.step("ECK iD: read PGN column"));
  const service = options.client ? undefined : lazyEckIdService(config, loaded.baseDir);
  const stats: PlanStepStats = options.stats ?? { ...emptyResolveStats(), hashed: 0 };
  const hashing = progress.step("ECK iD: hash PGNs");
  const carriedOver = carryOverOf(config.carryOver);
  try {
    const eckIds = await resolveEckIds(persons, {
      store,
      pgnFor: (person) => pgns.get(person.id),
      pgnKind: () => pgn.kind,
      ...(carriedOver ? { carriedOver } : {}),
      inTarget,
      client: options.client ?? (service as EckIdService),
      hashOptions: hashOptions(config, salt, options.params),
      batchSize: config.batchSize,
      stats,
      progress: (p) => {
        stats.hashed = p.hash.hashed;
        hashing(p.hash.hashed, p.hash.toHash);
      },
      onIssue: (issue) => {
        if (!options.review) return;
        const items = options.review.get(issue.ref) ?? [];
        items.push(eckIdReviewItem(issue, pgn.column));
        options.review.set(issue.ref, items);
      },
    });
    progress.finish(describePlanStep(stats));
    return eckIds;
  } finally {
    pgns.clear();
    salt.fill(0);
    service?.close();
  }
}
