import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_SALT } from "../../src/eckid/hpgn.js";
import { makeTestCertificates } from "../simulators/nummervoorziening/certs.js";
import {
  SIM_CHAIN,
  SIM_SECTOR,
  type Simulator,
  startNummervoorzieningSimulator,
} from "../simulators/nummervoorziening/server.js";
import { startOverstap } from "../support/cli.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const VECTOR = "9735dfd2235eaeb5f0300886bcc99c82ffc1d6420c4e0bde8de7218def2135fa";
let dir: string;
let sim: Simulator;

function overstap(args: string[], input?: string) {
  // asynchronous: the simulator answers from this process
  const child = startOverstap(["--config", path.join(dir, "overstap.yaml"), ...args], {
    cwd: root,
    env: { TEST_ECKID_SALT: TEST_SALT },
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  child.stdin?.end(input ?? "");
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout, stderr })),
  );
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "overstap-eckid-cli-"));
  const certs = makeTestCertificates(path.join(dir, "pki"));
  sim = await startNummervoorzieningSimulator({ certs });
  writeFileSync(
    path.join(dir, "overstap.yaml"),
    [
      "eckid:",
      `  endpoint: ${sim.url}`,
      "  oin: '00000001234567890000'",
      `  chainId: ${SIM_CHAIN}`,
      `  sectorId: ${SIM_SECTOR}`,
      "  tls: { cert: pki/client.crt, key: pki/client.key, ca: pki/ca.crt }",
      "  salt: { env: TEST_ECKID_SALT }",
      "  poll: { initialDelayMs: 10, maxDelayMs: 50 }",
      "",
    ].join("\n"),
  );
});

afterAll(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("overstap eckid", async () => {
  it("hash prints the HPGN of a value, salt from an environment variable", async () => {
    const r = await overstap([
      "eckid",
      "hash",
      "063138219",
      "--salt-env",
      "TEST_ECKID_SALT",
      "--kind",
      "bsn",
    ]);
    expect(r.stderr).toMatch(/^1\/1 done, [0-9.]+ s per hash, about 0 s left\n$/);
    expect(r.stdout.trim()).toBe(VECTOR);
    expect(r.code).toBe(0);
  });

  it("hash reports invalid lines of a file by line number, without the value, and exits 1", async () => {
    writeFileSync(path.join(dir, "salt.txt"), `${TEST_SALT}\n`);
    const r = await overstap(
      ["eckid", "hash", "--file", "-", "--salt-file", path.join(dir, "salt.txt"), "--json"],
      "063138218\n\nx\n",
    );
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toEqual([
      { line: 1, error: expect.stringMatching(/^line 1: the PGN .*BSN 11-proof/) },
      { line: 3, error: expect.stringMatching(/^line 3: .*longer than 1 character/) },
    ]);
    expect(r.stdout).not.toContain("063138218");
  });

  it("hash refuses a missing salt and a salt given twice", async () => {
    expect((await overstap(["eckid", "hash", "063138219"])).stderr).toMatch(
      /USAGE.*--salt-env NAME or --salt-file FILE/,
    );
    expect((await overstap(["eckid", "hash", "063138219", "--salt-env", "A", "--salt-file", "b"])).code).toBe(
      1,
    );
    const unset = await overstap(["eckid", "hash", "063138219", "--salt-env", "NOT_SET_ANYWHERE"]);
    expect(unset.stderr).toMatch(/SECRET_MISSING.*NOT_SET_ANYWHERE/);
  });

  it("fetch --ping --chains talks to the configured endpoint over mutual TLS", async () => {
    const r = await overstap(["--json", "eckid", "fetch", "--ping", "--chains"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.ping.available).toBe(true);
    expect(out.chains[0].id).toBe(SIM_CHAIN);
  });

  it("fetch gets the ECK iD of a PGN", async () => {
    const r = await overstap(["eckid", "fetch", "063138219", "--quiet"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`1\t${sim.eckIdOf(sim.stampseudonymOf(VECTOR))}`);
  });

  it("fetch names the config line of a bad eckid section", async () => {
    writeFileSync(path.join(dir, "bad.yaml"), "eckid:\n  endpoint: http://x\n  oin: '12'\n");
    const r = await overstap(["--config", path.join(dir, "bad.yaml"), "eckid", "fetch", "--ping"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/CONFIG_INVALID.*bad\.yaml:2: eckid\.endpoint/);
  });
});
