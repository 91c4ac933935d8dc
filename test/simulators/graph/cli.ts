import { writeFileSync } from "node:fs";
import { Command } from "commander";
import { ALL_FAULTS, type FaultKind } from "./faults.js";
import { SIM_CLIENT_SECRET, startGraphSimulator } from "./server.js";

/**
 * Runs the Graph simulator until interrupted, so overstap (or anything else) can be pointed at
 * it: `node --import tsx test/simulators/graph/cli.ts --users 1000 --port 8443`.
 */
const program = new Command("graph-simulator")
  .option("--users <n>", "number of users", "1000")
  .option("--groups <n>", "number of groups")
  .option("--memberships <n>", "direct user memberships")
  .option("--schools <n>", "School Data Sync schools", "2")
  .option("--seed <n>", "seed of the generated tenant", "1")
  .option("--port <n>", "HTTPS port (0 = any free port)", "8443")
  .option("--units <n>", "resource units per 10 s", "8000")
  .option("--fault-rate <p>", "probability of an injected fault per Graph request", "0")
  .option("--faults <kinds>", `comma-separated fault kinds (${ALL_FAULTS.join(",")})`)
  .option("--big-group <n>", "members of the largest group")
  .option("--stats-out <file>", "write request and resource-unit statistics here (JSON) on exit")
  .option(
    "--ca-out <file>",
    "write the CA certificate (PEM) here, for NODE_EXTRA_CA_CERTS",
    "graph-sim-ca.pem",
  )
  .parse();

const o = program.opts<Record<string, string | undefined>>();
const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
const sim = await startGraphSimulator({
  tenant: {
    seed: Number(o.seed),
    users: Number(o.users),
    groups: num(o.groups),
    memberships: num(o.memberships),
    schools: Number(o.schools),
    bigGroup: num(o.bigGroup),
  },
  port: Number(o.port),
  unitsPer10s: Number(o.units),
  faults:
    Number(o.faultRate) > 0
      ? { rate: Number(o.faultRate), kinds: o.faults?.split(",") as FaultKind[] | undefined }
      : undefined,
});
writeFileSync(o.caOut as string, sim.caPem);
// With --expose-gc: collect the tenant generator's garbage now, not during the first requests.
(globalThis as { gc?: () => void }).gc?.();
process.stdout.write(
  [
    `Graph simulator on ${sim.url} (${sim.directory.users.size} users, ${sim.directory.groups.size} groups)`,
    `CA certificate: ${o.caOut}  (export NODE_EXTRA_CA_CERTS=${o.caOut})`,
    "Connector configuration:",
    "  type: entra",
    `  tenantId: ${sim.tenantId}`,
    `  clientId: ${sim.clientId}`,
    "  clientSecret: { env: GRAPH_SIM_SECRET }",
    `  authorityHost: ${sim.authorityHost}`,
    `  graphBaseUrl: ${sim.graphBaseUrl}`,
    `export GRAPH_SIM_SECRET=${SIM_CLIENT_SECRET}`,
    "",
  ].join("\n"),
);
const stop = () => {
  if (o.statsOut) {
    const stats = {
      ...sim.stats,
      unitsSpent: sim.budget.unitsSpent,
      throttled: sim.budget.throttled,
      unitsWasted: Math.round(sim.budget.unitsWasted),
      spendingMs: (sim.budget.lastSpentAt ?? 0) - (sim.budget.firstSpentAt ?? 0),
      maxRssKb: process.resourceUsage().maxRSS,
      cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    };
    writeFileSync(o.statsOut, JSON.stringify(stats));
  }
  void sim.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
