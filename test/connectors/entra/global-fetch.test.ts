import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type GraphSimulator, SIM_CLIENT_SECRET, startGraphSimulator } from "../../simulators/graph/index.js";

let sim: GraphSimulator;

beforeAll(async () => {
  sim = await startGraphSimulator({ tenant: { seed: 8, users: 300, groups: 12 } });
});

afterAll(async () => {
  await sim?.close();
});

it("pulls with Node's global fetch and MSAL, trusting the private CA through NODE_EXTRA_CA_CERTS", async () => {
  const ca = path.join(mkdtempSync(path.join(tmpdir(), "entra-ca-")), "ca.pem");
  writeFileSync(ca, sim.caPem);
  const config = {
    type: "entra",
    tenantId: sim.tenantId,
    clientId: sim.clientId,
    clientSecret: { env: "OVERSTAP_BENCH_GRAPH_SECRET" },
    authorityHost: sim.authorityHost,
    graphBaseUrl: sim.graphBaseUrl,
  };
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/bench/entra.ts", "--client", JSON.stringify(config)],
    {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: ca, OVERSTAP_BENCH_GRAPH_SECRET: SIM_CLIENT_SECRET },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  expect(err).toBe("");
  expect(code).toBe(0);
  const result = JSON.parse(/RESULT (\{.*\})/.exec(out)?.[1] ?? "{}") as { persons: number; groups: number };
  expect(result.persons).toBe(sim.directory.users.size);
  expect(result.groups).toBe(sim.directory.groups.size);
});
