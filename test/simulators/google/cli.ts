import { writeFileSync } from "node:fs";
import { Command } from "commander";
import { ALL_FAULTS, type FaultKind } from "./faults.js";
import { startGoogleSimulator } from "./server.js";

/**
 * Runs the Google Workspace simulator until interrupted, so overstap (or anything else) can be
 * pointed at it: `node --import tsx test/simulators/google/cli.ts --users 1000 --port 8444`.
 */
const program = new Command("google-simulator")
  .option("--users <n>", "number of users", "1000")
  .option("--groups <n>", "number of groups")
  .option("--memberships <n>", "direct user memberships")
  .option("--seed <n>", "seed of the generated account", "1")
  .option("--port <n>", "HTTPS port (0 = any free port)", "8444")
  .option("--queries <n>", "queries per window per user", "2400")
  .option("--window-ms <n>", "the quota window", "60000")
  .option("--fault-rate <p>", "probability of an injected fault per Directory API request", "0")
  .option("--faults <kinds>", `comma-separated fault kinds (${ALL_FAULTS.join(",")})`)
  .option("--mutate-every <ms>", "make one random change to the account this often")
  .option("--key-out <file>", "write the service account's JSON key here", "google-sim-key.json")
  .option(
    "--ca-out <file>",
    "write the CA certificate (PEM) here, for NODE_EXTRA_CA_CERTS",
    "google-sim-ca.pem",
  )
  .option("--stats-out <file>", "write request and quota statistics here (JSON) on exit")
  .parse();

const o = program.opts<Record<string, string | undefined>>();
const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
const sim = await startGoogleSimulator({
  tenant: {
    seed: Number(o.seed),
    users: Number(o.users),
    groups: num(o.groups),
    memberships: num(o.memberships),
  },
  port: Number(o.port),
  quota: { queries: Number(o.queries), windowMs: Number(o.windowMs) },
  faults:
    Number(o.faultRate) > 0
      ? { rate: Number(o.faultRate), kinds: o.faults?.split(",") as FaultKind[] | undefined }
      : undefined,
});
writeFileSync(o.caOut as string, sim.caPem);
writeFileSync(o.keyOut as string, sim.keyFile, { mode: 0o600 });
let round = 0;
const timer = o.mutateEvery ? setInterval(() => sim.mutate(1, ++round), Number(o.mutateEvery)) : undefined;
process.stdout.write(
  [
    `Google Workspace simulator on ${sim.url} (${sim.workspace.users.size} users, ${sim.workspace.groups.size} groups)`,
    `CA certificate: ${o.caOut}  (export NODE_EXTRA_CA_CERTS=${o.caOut})`,
    "Connector configuration:",
    "  type: google",
    `  key: { file: ${o.keyOut} }`,
    `  subject: ${sim.admin}`,
    `  tokenUrl: ${sim.tokenUrl}`,
    `  baseUrl: ${sim.baseUrl}`,
    "",
  ].join("\n"),
);
const stop = () => {
  clearInterval(timer);
  if (o.statsOut) {
    const stats = {
      ...sim.stats,
      accepted: sim.quota.accepted,
      throttled: sim.quota.throttled,
      spendingMs: (sim.quota.lastAt ?? 0) - (sim.quota.firstAt ?? 0),
      maxRssKb: process.resourceUsage().maxRSS,
    };
    writeFileSync(o.statsOut, JSON.stringify(stats));
  }
  void sim.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
