/**
 * The Entra source against the Graph simulator at a large tenant's budget: a full pull of
 * 100k users, 5k groups and 200k memberships, timed against the floor the resource-unit budget
 * allows for the requests such a pull needs, with the client's peak RSS. The simulator and the
 * client run in their own processes; the client trusts the simulator's private CA through
 * NODE_EXTRA_CA_CERTS and uses Node's global fetch, as a real run would.
 * Run directly (`npx tsx scripts/bench/entra.ts [users groups memberships]`) or call {@link benchEntra}.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createEntraSource } from "../../connectors/entra/index.js";
import type { ConnectorContext } from "../../src/config/connector-context.js";
import { resolveSecret } from "../../src/config/secret.js";
import { generateTenant, type TenantSpec } from "../../test/simulators/graph/tenant.js";

export interface EntraBenchOptions {
  users?: number;
  groups?: number;
  memberships?: number;
  unitsPer10s?: number;
  /** The connector's `concurrency` (default: the connector's own default). */
  concurrency?: number;
  seed?: number;
  /** Write V8 CPU profiles of both processes under this directory (`sim/`, `client/`). */
  profileDir?: string;
}

export interface EntraBench {
  users: number;
  groups: number;
  memberships: number;
  requestsNeeded: number;
  unitsNeeded: number;
  unitsSpent: number;
  throttled: number;
  /** Refill the service's bucket lost while full after the first request, and the seconds from
   * its first to its last charged request: where the time above the floor went. */
  unitsWasted: number;
  wastedSeconds: number;
  spendingSeconds: number;
  /** HTTP requests the simulator answered (a batch counts once) and requests inside batches. */
  httpRequests: number;
  batchedRequests: number;
  seconds: number;
  /** When the first person came: the groups phase (the budget-bound part) was over. */
  groupsPhaseSeconds: number;
  /** CPU seconds of the client during the pull, and of the simulator over its whole life. */
  clientCpuSeconds: number;
  simCpuSeconds: number;
  /** Minimum time the token bucket allows (it starts full): (units − capacity) / rate. */
  floorSeconds: number;
  /** Time at the sustained rate alone: units / rate. */
  sustainedSeconds: number;
  ratio: number;
  /** Peak RSS of the client process (the connector) and of the simulator process. */
  peakRssMb: number;
  simPeakRssMb: number;
  cores: number;
  loadAverage: number;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const PAGE = 999;
const SECRET_ENV = "OVERSTAP_BENCH_GRAPH_SECRET";

/** Units and requests of the least a full pull must ask: the cost table of Graph's identity limits. */
function needed(spec: TenantSpec): { requests: number; units: number } {
  const dir = generateTenant(spec);
  const pages = (n: number) => Math.max(1, Math.ceil(n / PAGE));
  let requests = 2 + pages(dir.users.size) + pages(dir.groups.size);
  let units = 2 + pages(dir.users.size) * 1 + pages(dir.groups.size) * 1;
  for (const g of dir.groups.values()) {
    requests += pages(g.members.size) + pages(g.owners.size);
    units += pages(g.members.size) * 2 + pages(g.owners.size) * 1;
  }
  return { requests, units };
}

/** Resolves with the child's stdout so far once it matches `pattern`. */
function waitForLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = pattern.exec(out);
      if (m) resolve(out);
    });
    child.on("exit", (code) => reject(new Error(`exited with ${code} before printing ${pattern}: ${out}`)));
  });
}

/** Runs the benchmark; see the file comment. */
export async function benchEntra(opts: EntraBenchOptions = {}): Promise<EntraBench> {
  const spec: TenantSpec = {
    seed: opts.seed ?? 1,
    users: opts.users ?? 100_000,
    groups: opts.groups ?? 5_000,
    memberships: opts.memberships ?? 200_000,
  };
  const units10 = opts.unitsPer10s ?? 8000;
  const need = needed(spec);
  const dir = mkdtempSync(path.join(tmpdir(), "bench-entra-"));
  const ca = path.join(dir, "ca.pem");
  const statsFile = path.join(dir, "stats.json");
  const profile = (who: string) =>
    opts.profileDir ? ["--cpu-prof", "--cpu-prof-dir", path.join(opts.profileDir, who)] : [];
  const sim = spawn(
    process.execPath,
    [
      ...profile("sim"),
      "--expose-gc",
      "--import",
      "tsx",
      "test/simulators/graph/cli.ts",
      "--users",
      String(spec.users),
      "--groups",
      String(spec.groups),
      "--memberships",
      String(spec.memberships),
      "--seed",
      String(spec.seed),
      "--schools",
      "0",
      "--port",
      "0",
      "--units",
      String(units10),
      "--ca-out",
      ca,
      "--stats-out",
      statsFile,
    ],
    { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
  );
  try {
    const banner = await waitForLine(sim, /export GRAPH_SIM_SECRET=\S+\n/);
    const field = (re: RegExp) => re.exec(banner)?.[1] ?? "";
    const url = field(/Graph simulator on (https:\/\/\S+)/);
    const secret = field(/export GRAPH_SIM_SECRET=(\S+)/);
    const tenantId = field(/tenantId: (\S+)/);
    const clientId = field(/clientId: (\S+)/);
    const config = {
      type: "entra",
      tenantId,
      clientId,
      clientSecret: { env: SECRET_ENV },
      authorityHost: url,
      graphBaseUrl: `${url}/v1.0`,
      ...(opts.concurrency === undefined ? {} : { concurrency: opts.concurrency }),
      budget: { unitsPer10s: units10 },
    };
    const client = spawn(
      process.execPath,
      [...profile("client"), "--import", "tsx", "scripts/bench/entra.ts", "--client", JSON.stringify(config)],
      {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "inherit"],
        env: { ...process.env, NODE_EXTRA_CA_CERTS: ca, [SECRET_ENV]: secret },
      },
    );
    const result = /RESULT (\{.*\})\n/.exec(await waitForLine(client, /RESULT (\{.*\})\n/))?.[1] as string;
    const r = JSON.parse(result) as {
      ms: number;
      firstPersonMs: number;
      cpuMs: number;
      persons: number;
      groups: number;
      members: number;
      maxRssKb: number;
    };
    const stopped = new Promise((resolve) => sim.on("exit", resolve));
    sim.kill("SIGTERM");
    await stopped;
    const stats = JSON.parse(readFileSync(statsFile, "utf8")) as {
      unitsSpent: number;
      throttled: number;
      unitsWasted: number;
      spendingMs: number;
      graphRequests: number;
      subRequests: number;
      maxRssKb: number;
      cpuMs: number;
    };
    const rate = units10 / 10;
    const floorSeconds = Math.max(0, need.units - units10) / rate;
    const seconds = r.ms / 1000;
    return {
      users: r.persons,
      groups: r.groups,
      memberships: r.members,
      requestsNeeded: need.requests,
      unitsNeeded: need.units,
      unitsSpent: stats.unitsSpent,
      throttled: stats.throttled,
      unitsWasted: stats.unitsWasted,
      wastedSeconds: stats.unitsWasted / rate,
      spendingSeconds: stats.spendingMs / 1000,
      httpRequests: stats.graphRequests,
      batchedRequests: stats.subRequests,
      seconds,
      groupsPhaseSeconds: r.firstPersonMs / 1000,
      clientCpuSeconds: r.cpuMs / 1000,
      simCpuSeconds: stats.cpuMs / 1000,
      floorSeconds,
      sustainedSeconds: need.units / rate,
      ratio: seconds / floorSeconds,
      peakRssMb: Math.round(r.maxRssKb / 1024),
      simPeakRssMb: Math.round(stats.maxRssKb / 1024),
      cores: availableParallelism(),
      loadAverage: loadavg()[0] ?? 0,
    };
  } finally {
    if (sim.exitCode === null) sim.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

async function client(configJson: string): Promise<void> {
  const ctx: ConnectorContext = {
    name: "entra",
    path: "sources.entra",
    baseDir: ROOT,
    parse: (schema, value) => schema.parse(value),
    secret: (ref, key) => resolveSecret(ref, `sources.entra.${key}`, ROOT),
  };
  const source = await createEntraSource(JSON.parse(configJson), ctx);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let firstPersonMs = 0;
  let persons = 0;
  let groups = 0;
  let members = 0;
  const seen = new Set<string>();
  for await (const e of source.read({})) {
    if (e.type === "person") {
      if (persons === 0) firstPersonMs = performance.now() - t0;
      persons++;
      members += e.person.groups.length;
    } else if (e.type === "group") seen.add(e.group.id);
  }
  groups = seen.size;
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const maxRssKb = process.resourceUsage().maxRSS;
  process.stdout.write(
    `RESULT ${JSON.stringify({ ms, firstPersonMs, cpuMs, persons, groups, members, maxRssKb })}\n`,
  );
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  if (process.argv[2] === "--client") await client(process.argv[3] as string);
  else {
    const args = process.argv.slice(2);
    const at = args.indexOf("--profile");
    const profileDir = at >= 0 ? path.resolve(args.splice(at, 2)[1] as string) : undefined;
    const [users, groups, memberships] = args.map(Number);
    const r = await benchEntra({ users, groups, memberships, profileDir });
    console.log(
      [
        `entra full pull: ${r.users} users, ${r.groups} groups, ${r.memberships} memberships`,
        `time ${r.seconds.toFixed(1)} s; floor ${r.floorSeconds.toFixed(1)} s (${r.unitsNeeded} units at 8,000/10 s, bucket starts full) -> ${r.ratio.toFixed(2)}x floor`,
        `groups phase over (first person) at ${r.groupsPhaseSeconds.toFixed(1)} s; CPU: client ${r.clientCpuSeconds.toFixed(1)} s during the pull, simulator ${r.simCpuSeconds.toFixed(1)} s in all (tenant generation included)`,
        `service: units spent over ${r.spendingSeconds.toFixed(1)} s from its first to its last request; refill lost to a full bucket ${r.unitsWasted} units (${r.wastedSeconds.toFixed(2)} s)`,
        `requests: ${r.requestsNeeded} needed, sent as ${r.httpRequests} HTTP requests (${r.batchedRequests} inside batches); units spent ${r.unitsSpent}; throttled ${r.throttled}`,
        `peak RSS: client ${r.peakRssMb} MB, simulator ${r.simPeakRssMb} MB; ${r.cores} cores, load average ${r.loadAverage.toFixed(1)}`,
      ].join("\n"),
    );
  }
}
