/**
 * HPGN throughput: `n` hashes with Kennisnet's scrypt parameters on the worker pool against a
 * single-threaded baseline measured in the same run, and the peak RSS of the whole process
 * (worker threads included). Run directly (`npx tsx scripts/bench/eckid.ts [N]`) or call
 * {@link benchEckid} from the bench runner.
 * Goals: speed-up ≥ 0.9 × cores; peak RSS ≤ cores × 140 MiB + 200 MiB.
 */
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import { pathToFileURL } from "node:url";
import { hashBatch, poolSize } from "../../src/eckid/hash-pool.js";
import { decodeSalt, HPGN_PARAMS, hpgnSync, type ScryptParams, TEST_SALT } from "../../src/eckid/hpgn.js";

export interface EckidBench {
  cores: number;
  /** Worker threads the pool used (cores, bounded by memory). */
  workers: number;
  singleThreadedPerHashMs: number;
  pooledPerHashMs: number;
  speedup: number;
  peakRssMiB: number;
  /**
   * CPU time the process got per wall-clock second while the pool ran: about `workers` on an
   * idle machine. Much less means other load took the cores and the speed-up is understated.
   */
  pooledCpuPerWall: number;
  /** The 1-minute load average at the end of the run. */
  loadAverage: number;
}

const KIB = 1024;

function statusField(pid: number | "self", field: string): number {
  try {
    const m = readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
    return m ? Number(m[1]) * KIB : 0;
  } catch {
    return 0;
  }
}

function descendants(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const task of tasks) {
    let children = "";
    try {
      children = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8");
    } catch {
      continue;
    }
    for (const c of children.split(/\s+/).filter(Boolean).map(Number)) out.push(c, ...descendants(c));
  }
  return out;
}

/** RSS of this process (all its threads, so the hashing workers too) and of any child processes. */
function treeRss(): number {
  return [process.pid, ...descendants(process.pid)].reduce((sum, pid) => sum + statusField(pid, "VmRSS"), 0);
}

/** Valid BSNs (11-proof), deterministic, starting with 9 so none is a real person's. */
function inputs(n: number): string[] {
  const out: string[] = [];
  for (let k = 0; out.length < n; k++) {
    const base = `9${String(2_000_000 + k * 7).padStart(7, "0")}`;
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += (9 - i) * Number(base[i]);
    if (sum % 11 < 10) out.push(`${base}${sum % 11}`);
  }
  return out;
}

/**
 * Hashes `n` inputs single-threaded (on at most 10 of them, to keep the run short: the time per
 * hash is what is compared) and on the pool, checks both give the same HPGNs, and reports the
 * per-hash times, the speed-up and the peak RSS.
 */
export async function benchEckid(n = 40, options: { params?: ScryptParams } = {}): Promise<EckidBench> {
  const params = options.params ?? HPGN_PARAMS;
  const salt = decodeSalt(TEST_SALT, "bench");
  const values = inputs(n);
  const cores = os.availableParallelism();
  const workers = Math.min(poolSize({ params }), n);

  const baseline = values.slice(0, Math.min(n, 10));
  const expected = new Map<string, string>();
  let start = process.hrtime.bigint();
  for (const v of baseline) expected.set(v, hpgnSync(v, salt, params));
  const singleThreadedPerHashMs = Number(process.hrtime.bigint() - start) / 1e6 / baseline.length;

  let peak = treeRss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, treeRss());
  }, 50);
  start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  let mismatches = 0;
  let hashed = 0;
  try {
    for await (const r of hashBatch(
      values.map((pgn) => ({ ref: pgn, pgn })),
      { salt, params },
    )) {
      if (!("hpgn" in r)) throw r.error;
      hashed++;
      if (expected.has(r.ref) && expected.get(r.ref) !== r.hpgn) mismatches++;
    }
  } finally {
    clearInterval(sampler);
  }
  const pooledWallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpuStart);
  const pooledPerHashMs = pooledWallMs / n;
  if (mismatches > 0 || hashed !== n)
    throw new Error(`the pool gave ${mismatches} wrong and ${n - hashed} missing HPGNs`);
  peak = Math.max(peak, treeRss(), statusField("self", "VmHWM"));
  return {
    cores,
    workers,
    singleThreadedPerHashMs: Math.round(singleThreadedPerHashMs),
    pooledPerHashMs: Math.round(pooledPerHashMs),
    speedup: Math.round((singleThreadedPerHashMs / pooledPerHashMs) * 100) / 100,
    peakRssMiB: Math.round(peak / KIB / KIB),
    pooledCpuPerWall: Math.round(((cpu.user + cpu.system) / 1000 / pooledWallMs) * 100) / 100,
    loadAverage: Math.round((os.loadavg()[0] ?? 0) * 10) / 10,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = Number(process.argv[2] ?? 40);
  const r = await benchEckid(n);
  const rssGoal = r.cores * 140 + 200;
  console.log(
    `HPGN x${n}: ${r.singleThreadedPerHashMs} ms/hash single-threaded, ${r.pooledPerHashMs} ms/hash on ${r.workers} workers ` +
      `(speed-up ${r.speedup}, goal ≥ ${(0.9 * r.cores).toFixed(1)}); peak RSS ${r.peakRssMiB} MiB (goal ≤ ${rssGoal} MiB); ` +
      `the pool got ${r.pooledCpuPerWall} CPU-seconds per second (load average ${r.loadAverage})`,
  );
  console.log(JSON.stringify(r));
}
