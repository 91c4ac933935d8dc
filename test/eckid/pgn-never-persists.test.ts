import { type ChildProcess, spawn } from "node:child_process";
import {
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeSalt, hpgnSync, TEST_SALT } from "../../src/eckid/hpgn.js";
import { makeTestCertificates, type TestCertificates } from "../simulators/nummervoorziening/certs.js";
import {
  SIM_CHAIN,
  SIM_SECTOR,
  type Simulator,
  startNummervoorzieningSimulator,
} from "../simulators/nummervoorziening/server.js";
import { testBsn } from "./fixtures/las.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const PARAMS = { N: 4096, r: 8, p: 1, dkLen: 32, maxmem: 64 * 1024 * 1024 };
const PUPILS = 40;

let input: string;
let work: string;
let certs: TestCertificates;
let sim: Simulator;
const pgns: string[] = [];

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
}

function runChild(
  name: string,
  extraEnv: Record<string, string>,
  killAfterStores?: number,
): Promise<Outcome> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", path.join(here, "fixtures/resolve-child.ts")],
    {
      cwd: root,
      env: {
        ...process.env,
        LOG_FILE: path.join(work, "logs", "overstap.log"),
        LAS_FILE: path.join(input, "leerlingen.csv"),
        STATE_DB: path.join(work, "state", "state.db"),
        SIM_URL: sim.url,
        CHAIN: SIM_CHAIN,
        SECTOR: SIM_SECTOR,
        CLIENT_CERT: certs.clientCert,
        CLIENT_KEY: certs.clientKey,
        CA_CERT: certs.caCert,
        SALT: TEST_SALT,
        ...extraEnv,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const out = createWriteStream(path.join(work, "logs", `${name}.stdout`), { mode: 0o600 });
  const err = createWriteStream(path.join(work, "logs", `${name}.stderr`), { mode: 0o600 });
  let stdout = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    out.write(chunk);
    stdout += chunk.toString();
    const stored = stdout.split("\n").filter((l) => l.startsWith("stored ")).length;
    if (killAfterStores !== undefined && stored >= killAfterStores) child.kill("SIGKILL");
  });
  child.stderr?.pipe(err);
  return new Promise((resolve) =>
    child.on("close", (code, signal) => {
      out.end();
      resolve({ code, signal, stdout });
    }),
  );
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(full) : [full];
  });
}

beforeAll(async () => {
  const base = mkdtempSync(path.join(os.tmpdir(), "overstap-pgn-"));
  input = path.join(base, "input");
  work = path.join(base, "work");
  mkdirSync(input);
  mkdirSync(path.join(work, "logs"), { recursive: true });
  certs = makeTestCertificates(path.join(input, "pki"));
  sim = await startNummervoorzieningSimulator({ certs, notReadyPolls: 1 });
  const rows = ["id;pgn"];
  for (let i = 0; i < PUPILS; i++) {
    pgns.push(testBsn(i));
    rows.push(`p${i};${testBsn(i)}`);
  }
  pgns.push("063138218", "20DP juf.jansen@school.nl");
  rows.push("invalid;063138218", "staff;20DP juf.jansen@school.nl", "carried;", "nopgn;");
  writeFileSync(path.join(input, "leerlingen.csv"), `${rows.join("\n")}\n`);
});

afterAll(async () => {
  await sim?.close();
  if (work && !process.env.KEEP_TMP) rmSync(path.dirname(work), { recursive: true, force: true });
});

describe("the PGN never persists", () => {
  it("survives a SIGKILL and a crash mid-run, resumes from the cache, and leaves no PGN or HPGN in any file", async () => {
    const killed = await runChild("killed", {}, 2);
    expect(killed.signal).toBe("SIGKILL");
    expect(killed.stdout).not.toMatch(/^done/m);

    const crashed = await runChild("crashed", { CRASH_AFTER_STORES: "2" });
    expect(crashed.code).not.toBe(0);
    expect(readFileSync(path.join(work, "logs", "crashed.stderr"), "utf8")).toMatch(/simulated crash/);

    const callsBefore = sim.count("submitStampseudonymBatch") + sim.count("retrieveStampseudonym");
    const finished = await runChild("finished", {});
    expect(finished.code).toBe(0);
    const done = finished.stdout.match(/^done (\d+) (.*)$/m);
    expect(done).not.toBeNull();
    const stats = JSON.parse(done?.[2] ?? "{}");
    // 40 pupils + the staff member resolved, the carried-over value kept, the invalid PGN reported
    expect(Number(done?.[1])).toBe(PUPILS + 2);
    expect(stats.carriedOver).toBe(1);
    expect(stats.withoutPgn).toBe(1);
    expect(stats.failed).toBe(1);
    // resumed: what the two interrupted runs stored was not hashed or fetched again
    expect(stats.cached).toBeGreaterThanOrEqual(12);
    expect(stats.cached + stats.fetched).toBe(PUPILS + 1);
    const calls = sim.count("submitStampseudonymBatch") + sim.count("retrieveStampseudonym") - callsBefore;
    expect(calls).toBeLessThanOrEqual(Math.ceil(stats.fetched / 4));
    expect(readFileSync(path.join(work, "logs", "overstap.log"), "utf8")).toMatch(
      /issue las:invalid pgn ECKID_INVALID_PGN/,
    );

    const salt = decodeSalt(TEST_SALT, "test");
    const secrets = new Map<string, Buffer[]>();
    for (const pgn of pgns) {
      const hpgn = hpgnSync(pgn.trim(), salt, PARAMS);
      if (pgn !== "063138218") expect(sim.log.hpgns.has(hpgn)).toBe(true);
      const forms = [
        pgn,
        Buffer.from(pgn).toString("hex"),
        Buffer.from(pgn).toString("base64"),
        hpgn,
        hpgn.toUpperCase(),
      ];
      forms.push(Buffer.from(hpgn).toString("base64"), Buffer.from(hpgn, "hex").toString("base64"));
      secrets.set(pgn, [...forms.map((f) => Buffer.from(f)), Buffer.from(hpgn, "hex")]);
    }
    const files = filesUnder(work);
    expect(files.map((f) => path.relative(work, f)).sort()).toEqual(
      expect.arrayContaining([
        "logs/overstap.log",
        "logs/killed.stdout",
        "logs/crashed.stderr",
        "state/state.db",
      ]),
    );
    const found: string[] = [];
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const [pgn, needles] of secrets) {
        if (needles.some((n) => bytes.includes(n)))
          found.push(`${path.relative(work, file)} holds PGN #${pgns.indexOf(pgn)}`);
      }
    }
    expect(found).toEqual([]);
    expect(statSync(path.join(work, "state", "state.db")).mode & 0o777).toBe(0o600);
  }, 120_000);
});
