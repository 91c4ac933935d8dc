/**
 * The whole flow with PGNs, through the command line: pull, plan (one SIGKILLed while hashing),
 * apply, report in every format, a second plan, rollback. Then every file written is searched
 * for every PGN and its HPGN. Hashing uses Kennisnet's real scrypt parameters throughout: the
 * CLI offers no way to change them, and it should not.
 */
import { type ScryptOptions, scrypt as scryptCallback } from "node:crypto";
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
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeSalt, HPGN_PARAMS, TEST_SALT } from "../../src/eckid/hpgn.js";
import { makeTestCertificates, type TestCertificates } from "../simulators/nummervoorziening/certs.js";
import { type Simulator, startNummervoorzieningSimulator } from "../simulators/nummervoorziening/server.js";
import { startOverstap } from "../support/cli.js";
import { testBsn } from "./fixtures/las.js";
import {
  eckIdsInLdif,
  fakeEckId,
  type Pupil,
  pupilDn,
  SOURCE,
  schoolFiles,
  testOnderwijsnummer,
} from "./fixtures/school.js";

const scrypt = promisify(scryptCallback) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: ScryptOptions,
) => Promise<Buffer>;
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");

/** Hashed and fetched with the real parameters (batches of 2, so a kill loses at most one batch). */
const fetched: Pupil[] = [
  { id: "140001", given: "Daan", surname: "Jansen", pgn: testBsn(1) },
  { id: "140002", given: "Emma", surname: "Vries", pgn: testBsn(2) },
  { id: "140003", given: "Sem", surname: "Berg", pgn: testBsn(3) },
  { id: "140004", given: "Lucas", surname: "Dijk", pgn: testOnderwijsnummer(5) },
];
const carried: Pupil = {
  id: "140006",
  given: "Mila",
  surname: "Visser",
  pgn: testBsn(6),
  carried: fakeEckId("6e"),
};
const inTarget: Pupil = {
  id: "140007",
  given: "Finn",
  surname: "Smit",
  pgn: testBsn(7),
  inTarget: fakeEckId("7f"),
};
const invalid: Pupil = { id: "140008", given: "Tess", surname: "Meijer", pgn: "063138218" };
const noPgn: Pupil = { id: "140009", given: "Levi", surname: "Boer", pgn: "" };
const pupils = [...fetched, carried, inTarget, invalid, noPgn];

let base: string;
let work: string;
let certs: TestCertificates;
let sim: Simulator;

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `overstap …` in the school folder; stdout and stderr are kept under logs/ too. */
function overstap(name: string, args: string[], killWhen?: () => boolean): Promise<Outcome> {
  const child = startOverstap(["--config", path.join(work, "overstap.yaml"), ...args], {
    cwd: root,
    env: { OVERSTAP_ECKID_SALT: TEST_SALT },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out = createWriteStream(path.join(work, "logs", `${name}.stdout`), { mode: 0o600 });
  const err = createWriteStream(path.join(work, "logs", `${name}.stderr`), { mode: 0o600 });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    out.write(chunk);
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    err.write(chunk);
    stderr += chunk.toString();
  });
  const watch = killWhen
    ? setInterval(() => {
        if (killWhen()) child.kill("SIGKILL");
      }, 50)
    : undefined;
  return new Promise((resolve) =>
    child.on("close", (code, signal) => {
      clearInterval(watch);
      out.end();
      err.end();
      resolve({ code, signal, stdout, stderr });
    }),
  );
}

/** What a command printed, for failure messages. */
function output(o: Outcome): string {
  return `stderr:\n${o.stderr}\nstdout (end):\n${o.stdout.slice(-2000)}`;
}

/** ECK iDs cached in the state store so far (0 while the database is not there yet). */
function cachedEckIds(): number {
  try {
    const db = new Database(path.join(work, ".overstap", "state.db"), {
      readonly: true,
      fileMustExist: true,
    });
    try {
      return (db.prepare("SELECT count(*) AS n FROM kv WHERE ns = 'eckid'").get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

/** The plan step's summary from a `--json` run's progress lines on stderr. */
function eckIdSummary(stderr: string): Record<string, number> {
  const line = stderr
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as { type: string; summary?: string })
    .find((l) => l.type === "done" && l.summary?.startsWith("ECK iDs:"));
  expect(line, stderr).toBeDefined();
  const n = (label: string) => Number(line?.summary?.match(new RegExp(`(\\d+) ${label}`))?.[1]);
  return {
    carriedOver: n("carried over"),
    inTarget: n("from the target"),
    cached: n("cached"),
    fetched: n("fetched"),
    hashed: n("hashed"),
    withoutPgn: n("without PGN"),
    failed: n("failed"),
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(full) : [full];
  });
}

/** Base64 of `bytes` at each of the three alignments, without the characters its neighbours decide. */
function base64Forms(bytes: Buffer): string[] {
  return [0, 1, 2].map((k) => {
    const encoded = Buffer.concat([Buffer.alloc(k), bytes]).toString("base64");
    return encoded.slice(k === 0 ? 0 : k + 1, Math.floor(((k + bytes.length) * 8) / 6));
  });
}

/** Every form in which a PGN could have been written: plain, hex, base64. */
function pgnNeedles(pgn: string): Buffer[] {
  return [pgn, Buffer.from(pgn).toString("hex"), ...base64Forms(Buffer.from(pgn))].map((t) => Buffer.from(t));
}

/** Every form in which an HPGN could have been written: hex (either case), raw bytes, base64 of either. */
function hpgnNeedles(hpgn: string): Buffer[] {
  const raw = Buffer.from(hpgn, "hex");
  const text = [hpgn, hpgn.toUpperCase(), ...base64Forms(Buffer.from(hpgn)), ...base64Forms(raw)];
  return [...text.map((t) => Buffer.from(t)), raw];
}

/** The HPGN with Kennisnet's parameters, on libuv's thread pool (the simulator stays responsive). */
async function realHpgn(pgn: string): Promise<string> {
  const { N, r, p, dkLen, maxmem } = HPGN_PARAMS;
  const key = await scrypt(pgn.trim().toLowerCase(), decodeSalt(TEST_SALT, "test"), dkLen, {
    N,
    r,
    p,
    maxmem,
  });
  return key.toString("hex");
}

const allCalls = () => sim.log.calls.length;
const at = (file: string) => path.join(work, file);

beforeAll(async () => {
  base = mkdtempSync(path.join(os.tmpdir(), "overstap-eckid-flow-"));
  const input = path.join(base, "input");
  work = path.join(base, "work");
  mkdirSync(input);
  mkdirSync(path.join(work, "logs"), { recursive: true });
  mkdirSync(path.join(work, "reports"));
  certs = makeTestCertificates(path.join(input, "pki"));
  sim = await startNummervoorzieningSimulator({ certs, notReadyPolls: 1 });
  const csvFile = path.join(input, "leerlingen.csv");
  const files = schoolFiles({
    csvFile,
    simUrl: sim.url,
    certs,
    pupils,
    eckid: ["  batchSize: 2", "  carryOver: ext.eckId", "  hashing: { concurrency: 2 }"],
  });
  writeFileSync(csvFile, files.csv);
  for (const f of ["overstap.yaml", "mapping.yaml", "directory.ldif"] as const)
    writeFileSync(path.join(work, f), files[f]);
});

afterAll(async () => {
  await sim?.close();
  if (base && !process.env.KEEP_TMP) rmSync(base, { recursive: true, force: true });
});

describe("the leak search", () => {
  it("finds a PGN or HPGN embedded in any of the searched forms, at any base64 alignment", () => {
    const pgn = testBsn(1);
    const hpgn = "9735dfd2235eaeb5f0300886bcc99c82ffc1d6420c4e0bde8de7218def2135fa";
    const forms = [...pgnNeedles(pgn), ...hpgnNeedles(hpgn)];
    const hits = (file: Buffer) => forms.some((n) => file.includes(n));
    for (const prefix of ["", "a", "ab", "abc"]) {
      expect(hits(Buffer.from(`x: ${Buffer.from(`${prefix}${pgn};`).toString("base64")}\n`)), prefix).toBe(
        true,
      );
      expect(
        hits(Buffer.from(Buffer.concat([Buffer.from(prefix), Buffer.from(hpgn, "hex")]).toString("base64"))),
        prefix,
      ).toBe(true);
    }
    expect(hits(Buffer.concat([Buffer.from("blob"), Buffer.from(hpgn, "hex")]))).toBe(true);
    expect(hits(Buffer.from(`{"v":"${Buffer.from(pgn).toString("hex")}"}`))).toBe(true);
    expect(hits(Buffer.from(`BSN ${testBsn(2)} and ${hpgn.slice(0, 60)}`))).toBe(false);
  });
});

describe("ECK iD in the whole flow", () => {
  it("fetches what is missing, survives a SIGKILL while hashing, and leaves no PGN or HPGN in any file", async () => {
    const pull = await overstap("pull", ["pull"]);
    expect(pull.code, output(pull)).toBe(0);

    // Killed while hashing: the first batch is cached, the workers are on the next two.
    const killed = await overstap(
      "plan-killed",
      ["plan", "--stage", "school", "--json", "--out", at("plans/killed.plan")],
      () => cachedEckIds() >= 2,
    );
    expect(killed.signal).toBe("SIGKILL");
    const cachedByKilled = cachedEckIds();
    expect(cachedByKilled).toBeGreaterThanOrEqual(2);
    expect(cachedByKilled).toBeLessThan(fetched.length);

    const plan = await overstap("plan", [
      "plan",
      "--stage",
      "school",
      "--json",
      "--out",
      at("plans/school.plan"),
    ]);
    expect(plan.code, output(plan)).toBe(0);
    const first = eckIdSummary(plan.stderr);
    expect(first).toEqual({
      carriedOver: 1,
      inTarget: 1,
      cached: cachedByKilled,
      fetched: fetched.length - cachedByKilled,
      hashed: fetched.length - cachedByKilled,
      withoutPgn: 1,
      failed: 1,
    });
    const planned = JSON.parse(plan.stdout) as {
      operations: { kind: string; ref?: string; attrs?: Record<string, string[]> }[];
      review: { record: string; field?: string; rule: string; severity: string }[];
    };
    expect(planned.review).toContainEqual(
      expect.objectContaining({
        record: `${SOURCE}:${invalid.id}`,
        field: "BSN",
        rule: "eckid",
        severity: "warning",
      }),
    );

    const apply = await overstap("apply", ["apply", at("plans/school.plan"), "--json"]);
    expect(apply.code, output(apply)).toBe(0);
    const run = JSON.parse(apply.stdout) as { id: string; status: string };
    expect(run.status).toBe("completed");

    // The ECK iDs reached the target: the service's values for the HPGNs it received (one of
    // them recomputed here with Kennisnet's parameters), the carried-over and the existing value
    // unchanged. What the target or the source held was never hashed for the service.
    const secretHpgns = new Map(
      await Promise.all(
        [fetched[0] as Pupil, carried, inTarget, invalid].map(
          async (p) => [p.id, await realHpgn(p.pgn)] as const,
        ),
      ),
    );
    const firstFetched = fetched[0] as Pupil;
    const sent = [...sim.log.hpgns];
    expect(sent).toHaveLength(fetched.length);
    expect(sent).toContain(secretHpgns.get(firstFetched.id));
    for (const p of [carried, inTarget]) expect(sent).not.toContain(secretHpgns.get(p.id));
    const inLdif = eckIdsInLdif(readFileSync(path.join(work, "directory.ldif"), "utf8"));
    expect(inLdif.get(pupilDn(firstFetched.id))).toBe(
      sim.eckIdOf(sim.stampseudonymOf(secretHpgns.get(firstFetched.id) as string)),
    );
    expect(fetched.map((p) => inLdif.get(pupilDn(p.id))).sort()).toEqual(
      sent.map((h) => sim.eckIdOf(sim.stampseudonymOf(h))).sort(),
    );
    expect(inLdif.get(pupilDn(carried.id))).toBe(carried.carried);
    expect(inLdif.get(pupilDn(inTarget.id))).toBe(inTarget.inTarget);
    expect(inLdif.get(pupilDn(invalid.id))).toBeUndefined();
    expect(inLdif.has(pupilDn(invalid.id))).toBe(true);

    const reports = await Promise.all([
      ...["md", "html", "json"].map((format) =>
        overstap(`report-run-${format}`, [
          "report",
          run.id,
          "--format",
          format,
          "--include-names",
          "--out",
          at(`reports/run.${format}`),
        ]),
      ),
      overstap("report-plan-csv", [
        "report",
        at("plans/school.plan"),
        "--format",
        "csv",
        "--out",
        at("reports/plan.csv"),
      ]),
    ]);
    for (const r of reports) expect(r.code, output(r)).toBe(0);

    // Everything is in the target (or cached): a second plan costs no hash and no call.
    const callsBefore = allCalls();
    const again = await overstap("plan-again", [
      "plan",
      "--stage",
      "school",
      "--json",
      "--out",
      at("plans/again.plan"),
    ]);
    expect(again.code, output(again)).toBe(0);
    expect(eckIdSummary(again.stderr)).toMatchObject({
      carriedOver: 1,
      inTarget: fetched.length + 1,
      fetched: 0,
      hashed: 0,
    });
    expect(allCalls()).toBe(callsBefore);
    expect((JSON.parse(again.stdout) as { operations: unknown[] }).operations).toEqual([]);

    const rollback = await overstap("rollback", ["rollback", run.id, "--out", at("plans/rollback.plan")]);
    expect(rollback.code, output(rollback)).toBe(0);
    const undo = await overstap("apply-rollback", [
      "apply",
      at("plans/rollback.plan"),
      "--allow-deletes",
      "--json",
    ]);
    expect(undo.code, output(undo)).toBe(0);
    const afterRollback = eckIdsInLdif(readFileSync(path.join(work, "directory.ldif"), "utf8"));
    for (const p of fetched) expect(afterRollback.has(pupilDn(p.id)), p.id).toBe(false);
    expect(afterRollback.get(pupilDn(inTarget.id))).toBe(inTarget.inTarget);

    // The search: every file written, for every PGN and HPGN in every form.
    const files = filesUnder(work);
    const names = files.map((f) => path.relative(work, f));
    expect(names).toEqual(
      expect.arrayContaining([
        ".overstap/state.db",
        "directory.ldif",
        "directory.ldif.changes.ldif",
        "plans/school.plan",
        "plans/again.plan",
        "plans/rollback.plan",
        "reports/run.md",
        "reports/run.html",
        "reports/run.json",
        "reports/plan.csv",
        "logs/plan-killed.stderr",
        "logs/plan.stdout",
      ]),
    );
    const secrets = [
      ...pupils
        .filter((p) => p !== noPgn)
        .map((p) => ({ id: `PGN of ${p.id}`, forms: pgnNeedles(p.pgn.trim()) })),
      ...[...secretHpgns].map(([id, hpgn]) => ({ id: `HPGN of ${id}`, forms: hpgnNeedles(hpgn) })),
      ...sent.map((hpgn, i) => ({ id: `HPGN #${i} sent`, forms: hpgnNeedles(hpgn) })),
    ];
    // the search finds what it looks for: the export holds every PGN
    const csv = readFileSync(path.join(base, "input", "leerlingen.csv"));
    for (const s of secrets.slice(0, pupils.length - 1))
      expect(csv.includes(s.forms[0] as Buffer), s.id).toBe(true);
    const found: string[] = [];
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const s of secrets) {
        const hit = s.forms.findIndex((n) => bytes.includes(n));
        if (hit !== -1) found.push(`${path.relative(work, file)} holds form #${hit} of the ${s.id}`);
      }
    }
    expect(found).toEqual([]);
    expect(statSync(path.join(work, ".overstap", "state.db")).mode & 0o777).toBe(0o600);
  }, 300_000);
});
