import { OverstapError } from "../errors.js";
import { type Person, refOf } from "../model/person.js";
import type { ValueStore } from "../state/store.js";
import { isEckId } from "./format.js";
import { type HashBatchOptions, type HashItem, type HashProgress, hashBatch } from "./hash-pool.js";
import type { NummervoorzieningClient } from "./nummervoorziening.js";
import type { PgnKind } from "./pgn.js";

/** The state store namespace of the ECK iD cache: `source:id` → ECK iD. */
export const ECKID_NAMESPACE = "eckid";

/** A person whose ECK iD could not be resolved, and why (never with the PGN or HPGN). */
export interface EckIdIssue {
  ref: string;
  field: string;
  code: OverstapError["code"];
  reason: string;
}

/** Where resolving stands: the hashing progress (with its ETA) and how many ECK iDs are in. */
export interface ResolveProgress {
  hash: HashProgress;
  resolved: number;
  toResolve: number;
}

/** Where every ECK iD came from. */
export interface ResolveStats {
  carriedOver: number;
  inTarget: number;
  cached: number;
  fetched: number;
  withoutPgn: number;
  failed: number;
}

/** Counters of a resolve run that has not started. */
export function emptyResolveStats(): ResolveStats {
  return { carriedOver: 0, inTarget: 0, cached: 0, fetched: 0, withoutPgn: 0, failed: 0 };
}

export type EckIdService = Pick<
  NummervoorzieningClient,
  | "retrieveStampseudonym"
  | "retrieveEckId"
  | "submitStampseudonymBatch"
  | "submitEckIdBatch"
  | "retrieveBatch"
>;

export interface ResolveEckIdOptions {
  store: Pick<ValueStore, "getValues" | "setValues">;
  /** The person's PGN, from an in-memory school-administration export; never stored. */
  pgnFor(person: Person): string | undefined;
  /** The PGN kind of a person; `auto` by default. */
  pgnKind?(person: Person): PgnKind;
  /** A value carried over from the source; by default the first extension attribute named `…eckId`. */
  carriedOver?(person: Person): string | string[] | undefined;
  /** The ECK iD the target already holds for this person, if any. */
  inTarget?(person: Person): string | undefined;
  client: EckIdService;
  hashOptions: Omit<HashBatchOptions, "onResult" | "progress">;
  /** HPGNs per service batch; smaller batches lose less work on a crash. Default 500. */
  batchSize?: number;
  /** Chunks smaller than this use the single-value operations. Default 3. */
  singleCallsBelow?: number;
  progress?: (progress: ResolveProgress) => void;
  onIssue?: (issue: EckIdIssue) => void;
  /** Filled with where every ECK iD came from. */
  stats?: ResolveStats;
}

function defaultCarriedOver(person: Person): string | string[] | undefined {
  const key = Object.keys(person.ext).find((k) => /eckid$/i.test(k));
  return key === undefined ? undefined : person.ext[key];
}

/**
 * Finds an ECK iD for every person that can have one, cheapest first: a carried-over value
 * (format-checked; it wins), the target's value, the cache (state namespace `eckid`), and only
 * then the Nummervoorziening from the hashed PGN (batches for many, cached as they arrive, so an
 * interrupted run resumes without re-hashing). The PGN and the HPGN are never stored.
 *
 * @example
 * const eckIds = await resolveEckIds(persons, { store, pgnFor: (p) => las.get(p.id), client, hashOptions: { salt } });
 */
export async function resolveEckIds(
  persons: Iterable<Person>,
  options: ResolveEckIdOptions,
): Promise<Map<string, string>> {
  const stats: ResolveStats = options.stats ?? emptyResolveStats();
  const result = new Map<string, string>();
  const issue = (i: EckIdIssue) => {
    stats.failed++;
    options.onIssue?.(i);
  };
  const carriedOver = options.carriedOver ?? defaultCarriedOver;
  const open: Person[] = [];
  for (const person of persons) {
    const ref = refOf(person);
    const carried = carriedOver(person);
    const values = carried === undefined ? [] : Array.isArray(carried) ? carried : [carried];
    const valid = values.find(isEckId);
    if (valid !== undefined) {
      result.set(ref, valid);
      stats.carriedOver++;
      continue;
    }
    if (values.length > 0) {
      options.onIssue?.({
        ref,
        field: "eckId",
        code: "SOURCE_INVALID",
        reason:
          "the carried-over ECK iD does not have the format https://ketenid.nl/<segment>/<128 hex>; it is ignored",
      });
    }
    const target = options.inTarget?.(person);
    if (target !== undefined && isEckId(target)) {
      result.set(ref, target);
      stats.inTarget++;
      continue;
    }
    open.push(person);
  }

  const cache = await options.store.getValues(ECKID_NAMESPACE, open.map(refOf));
  const items: HashItem[] = [];
  for (const person of open) {
    const ref = refOf(person);
    const cached = cache.get(ref);
    if (cached !== undefined && isEckId(cached)) {
      result.set(ref, cached);
      stats.cached++;
      continue;
    }
    const pgn = options.pgnFor(person);
    if (pgn === undefined || pgn.trim() === "") {
      stats.withoutPgn++;
      continue;
    }
    items.push({ ref, pgn, kind: options.pgnKind?.(person) ?? "auto" });
  }
  if (items.length === 0) return result;

  const batchSize = options.batchSize ?? 500;
  const singleBelow = options.singleCallsBelow ?? 3;
  const toResolve = items.length;
  let resolved = 0;
  let lastHash: HashProgress = {
    total: toResolve,
    toHash: toResolve,
    done: 0,
    failed: 0,
    hashed: 0,
    elapsedMs: 0,
  };
  const report = () => options.progress?.({ hash: lastHash, resolved, toResolve });

  const keep = async (entries: [string, string][]) => {
    const valid = entries.filter(([ref, eckId]) => {
      if (isEckId(eckId)) return true;
      issue({
        ref,
        field: "eckId",
        code: "ECKID_SERVICE",
        reason: "the Nummervoorziening returned a value that is not an ECK iD",
      });
      return false;
    });
    await options.store.setValues(ECKID_NAMESPACE, valid);
    for (const [ref, eckId] of valid) result.set(ref, eckId);
    stats.fetched += valid.length;
    resolved += valid.length;
    report();
  };

  let chunk: { ref: string; hpgn: string }[] = [];
  const flush = async () => {
    const current = chunk;
    chunk = [];
    if (current.length === 0) return;
    if (current.length < singleBelow) await keep(await fetchOneByOne(current, options.client, issue));
    else await keep(await fetchBatch(current, options.client, issue));
  };

  for await (const r of hashBatch(items, {
    ...options.hashOptions,
    progress: (p) => {
      lastHash = p;
      report();
    },
  })) {
    if ("error" in r) {
      issue({ ref: r.ref, field: "pgn", code: r.error.code, reason: r.error.message });
      continue;
    }
    chunk.push(r);
    if (chunk.length >= batchSize) await flush();
  }
  await flush();
  return result;
}

function isPerItemFault(err: unknown): boolean {
  return err instanceof OverstapError && err.code === "ECKID_SERVICE" && err.details.faultcode !== undefined;
}

async function fetchOneByOne(
  chunk: { ref: string; hpgn: string }[],
  client: EckIdService,
  issue: (i: EckIdIssue) => void,
): Promise<[string, string][]> {
  const entries: [string, string][] = [];
  for (const { ref, hpgn } of chunk) {
    try {
      entries.push([ref, await client.retrieveEckId(await client.retrieveStampseudonym(hpgn))]);
    } catch (err) {
      if (!isPerItemFault(err)) throw err;
      issue({ ref, field: "eckId", code: "ECKID_SERVICE", reason: (err as Error).message });
    }
  }
  return entries;
}

async function fetchBatch(
  chunk: { ref: string; hpgn: string }[],
  client: EckIdService,
  issue: (i: EckIdIssue) => void,
): Promise<[string, string][]> {
  const fail = (ref: string, message: string) =>
    issue({ ref, field: "eckId", code: "ECKID_SERVICE", reason: `Nummervoorziening: ${message}` });
  const sps = await client.retrieveBatch(await client.submitStampseudonymBatch(chunk.map((c) => c.hpgn)));
  const withSp: { ref: string; sp: string }[] = [];
  chunk.forEach(({ ref }, index) => {
    const sp = sps.success.get(index);
    if (sp !== undefined) withSp.push({ ref, sp });
    else fail(ref, sps.failed.get(index) ?? "no Stampseudoniem in the batch result");
  });
  if (withSp.length === 0) return [];
  const eckIds = await client.retrieveBatch(await client.submitEckIdBatch(withSp.map((s) => s.sp)));
  const entries: [string, string][] = [];
  withSp.forEach(({ ref }, index) => {
    const eckId = eckIds.success.get(index);
    if (eckId !== undefined) entries.push([ref, eckId]);
    else fail(ref, eckIds.failed.get(index) ?? "no ECK iD in the batch result");
  });
  return entries;
}
