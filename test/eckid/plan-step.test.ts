import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openProject, type Project } from "../../src/app/project.js";
import { pullSources } from "../../src/app/pull.js";
import type { Steps } from "../../src/app/steps.js";
import { decodeSalt, hpgnSync, TEST_SALT } from "../../src/eckid/hpgn.js";
import { describePlanStep, type PlanStepStats, resolveForPlan } from "../../src/eckid/plan-step.js";
import { type EckIdService, emptyResolveStats } from "../../src/eckid/resolve.js";
import type { ReviewItem } from "../../src/model/review.js";
import type { TestCertificates } from "../simulators/nummervoorziening/certs.js";
import { testBsn } from "./fixtures/las.js";
import { fakeEckId, type Pupil, SOURCE, schoolFiles, testOnderwijsnummer } from "./fixtures/school.js";

const PARAMS = { N: 1024, r: 8, p: 1, dkLen: 32, maxmem: 64 * 1024 * 1024 };
const SALT_ENV = "OVERSTAP_ECKID_SALT";
const CERTS = { clientCert: "client.crt", clientKey: "client.key", caCert: "ca.crt" } as TestCertificates;
const HASHED = 12;

let base: string;
const pupils: Pupil[] = [];
for (let i = 0; i < HASHED - 1; i++)
  pupils.push({ id: `1400${10 + i}`, given: `Kind${i}`, surname: "Test", pgn: testBsn(i) });
pupils.push({ id: "140090", given: "Onder", surname: "Wijs", pgn: ` ${testOnderwijsnummer(0)} ` });
pupils.push({
  id: "140091",
  given: "Mee",
  surname: "Genomen",
  pgn: testBsn(91),
  carried: fakeEckId("a1"),
  inTarget: fakeEckId("b2"),
});
pupils.push({ id: "140092", given: "Al", surname: "Bekend", pgn: testBsn(92), inTarget: fakeEckId("c3") });
pupils.push({ id: "140093", given: "Fout", surname: "Nummer", pgn: "063138218" });
pupils.push({ id: "140094", given: "Zonder", surname: "Nummer", pgn: "" });

/** A Nummervoorziening in memory: values derived from the input, every call counted. */
function fakeService(): EckIdService & { calls: number; hpgns: Set<string> } {
  const sha = (prefix: string, v: string) => prefix + createHash("sha512").update(v).digest("hex");
  const batches = new Map<string, string[]>();
  const service = {
    calls: 0,
    hpgns: new Set<string>(),
    async retrieveStampseudonym(hpgn: string) {
      service.calls++;
      service.hpgns.add(hpgn);
      return sha("https://ketenid.nl/sppilot/", hpgn);
    },
    async retrieveEckId(sp: string) {
      service.calls++;
      return sha("https://ketenid.nl/pilot/", sp);
    },
    async submitStampseudonymBatch(hpgns: readonly string[]) {
      service.calls++;
      for (const h of hpgns) service.hpgns.add(h);
      const id = `b${batches.size}`;
      batches.set(
        id,
        hpgns.map((h) => sha("https://ketenid.nl/sppilot/", h)),
      );
      return id;
    },
    async submitEckIdBatch(sps: readonly string[]) {
      service.calls++;
      const id = `b${batches.size}`;
      batches.set(
        id,
        sps.map((s) => sha("https://ketenid.nl/pilot/", s)),
      );
      return id;
    },
    async retrieveBatch(id: string) {
      service.calls++;
      const values = batches.get(id) ?? [];
      return { success: new Map(values.map((v, i) => [i, v] as const)), failed: new Map<number, string>() };
    },
  };
  return service;
}

function expectedEckId(pgn: string): string {
  const hpgn = hpgnSync(pgn.trim(), decodeSalt(TEST_SALT, "test"), PARAMS);
  const sp = `https://ketenid.nl/sppilot/${createHash("sha512").update(hpgn).digest("hex")}`;
  return `https://ketenid.nl/pilot/${createHash("sha512").update(sp).digest("hex")}`;
}

/** Steps that remember every label, every progress call and the summaries. */
function recordingSteps(): Steps & {
  calls: { label: string; done: number; total?: number }[];
  labels: string[];
  summaries: string[];
} {
  const rec = {
    calls: [] as { label: string; done: number; total?: number }[],
    labels: [] as string[],
    summaries: [] as string[],
    step(label: string) {
      rec.labels.push(label);
      return (done: number, total?: number) =>
        rec.calls.push({ label, done, ...(total !== undefined ? { total } : {}) });
    },
    finish(summary?: string) {
      if (summary !== undefined) rec.summaries.push(summary);
    },
  };
  return rec;
}

async function school(
  name: string,
  options: { eckid?: string[]; pgnLine?: string; pull?: boolean } = {},
): Promise<Project> {
  const dir = path.join(base, name);
  mkdirSync(dir);
  const files = schoolFiles({
    csvFile: path.join(dir, "input", "leerlingen.csv"),
    simUrl: "https://127.0.0.1:1/eck",
    certs: CERTS,
    pupils,
    ...options,
  });
  mkdirSync(path.join(dir, "input"));
  writeFileSync(path.join(dir, "input", "leerlingen.csv"), files.csv);
  for (const f of ["overstap.yaml", "mapping.yaml", "directory.ldif"] as const)
    writeFileSync(path.join(dir, f), files[f]);
  const project = await openProject(path.join(dir, "overstap.yaml"));
  if (options.pull !== false) await pullSources(project);
  return project;
}

const emptyStats = (): PlanStepStats => ({ ...emptyResolveStats(), hashed: 0 });

beforeAll(() => {
  base = mkdtempSync(path.join(os.tmpdir(), "overstap-plan-step-"));
  process.env[SALT_ENV] = TEST_SALT;
});

afterAll(() => {
  delete process.env[SALT_ENV];
  rmSync(base, { recursive: true, force: true });
});

describe("resolveForPlan", () => {
  it("resolves cheapest first, reviews what fails, and a second plan costs no hash and no call", async () => {
    const project = await school("flow", {
      eckid: ["  batchSize: 5", "  carryOver: ext.eckId", "  hashing: { concurrency: 2 }"],
    });
    try {
      const service = fakeService();
      const review = new Map<string, ReviewItem[]>();
      const stats = emptyStats();
      const steps = recordingSteps();
      const eckIds = await resolveForPlan(project, steps, { params: PARAMS, client: service, review, stats });
      expect(stats).toEqual({
        carriedOver: 1,
        inTarget: 1,
        cached: 0,
        fetched: HASHED,
        withoutPgn: 1,
        failed: 1,
        hashed: HASHED,
      });
      expect(eckIds?.size).toBe(HASHED + 2);
      for (const p of pupils.slice(0, HASHED))
        expect(eckIds?.get(`${SOURCE}:${p.id}`), p.id).toBe(expectedEckId(p.pgn));
      // the carried-over value wins over the target's; the target's over the service
      expect(eckIds?.get(`${SOURCE}:140091`)).toBe(fakeEckId("a1"));
      expect(eckIds?.get(`${SOURCE}:140092`)).toBe(fakeEckId("c3"));
      expect(service.hpgns.size).toBe(HASHED);
      // batches of 5: 5 + 5 + 2 (the last two one by one)
      expect(service.calls).toBe(4 + 4 + 2 * 2);

      expect([...review.keys()]).toEqual([`${SOURCE}:140093`]);
      const [item] = review.get(`${SOURCE}:140093`) ?? [];
      expect(item).toMatchObject({ field: "BSN", rule: "eckid", severity: "warning" });
      expect(item?.reason).toMatch(/no ECK iD: .*11-proof/);
      expect(JSON.stringify(item)).not.toContain("063138218");

      expect(steps.labels).toEqual(["ECK iD: read target", "ECK iD: read PGN column", "ECK iD: hash PGNs"]);
      const hashing = steps.calls.filter((c) => c.label === "ECK iD: hash PGNs");
      expect(hashing.at(-1)).toEqual({ label: "ECK iD: hash PGNs", done: HASHED, total: HASHED });
      expect(hashing.every((c) => c.done <= (c.total ?? 0))).toBe(true);
      expect(steps.summaries).toEqual([describePlanStep(stats)]);

      const again = emptyStats();
      const second = await resolveForPlan(project, recordingSteps(), {
        params: PARAMS,
        client: service,
        stats: again,
      });
      expect(again).toMatchObject({ cached: HASHED, fetched: 0, hashed: 0 });
      expect(service.calls).toBe(12);
      expect(second).toEqual(eckIds);
    } finally {
      await project.close();
    }
  });

  it("without a carryOver setting, takes an ext key ending in eckId; returns nothing without eckid.pgn", async () => {
    const project = await school("defaults", { eckid: ["  batchSize: 50"] });
    try {
      const stats = emptyStats();
      await resolveForPlan(project, undefined, { params: PARAMS, client: fakeService(), stats });
      expect(stats.carriedOver).toBe(1);
    } finally {
      await project.close();
    }
    const none = await school("no-pgn", { pgnLine: "  batchSize: 50", pull: false });
    try {
      expect(await resolveForPlan(none, undefined, { client: fakeService() })).toBeUndefined();
    } finally {
      await none.close();
    }
  });

  it("returns nothing before the source is pulled, so the planner can say so", async () => {
    const project = await school("unpulled", { pull: false });
    try {
      const service = fakeService();
      expect(await resolveForPlan(project, undefined, { params: PARAMS, client: service })).toBeUndefined();
      expect(service.calls).toBe(0);
    } finally {
      await project.close();
    }
  });

  it("refuses a PGN column the source pulls, an unknown source and a missing column, naming the line", async () => {
    const cases: [string, string, RegExp][] = [
      [
        "pulled",
        `  pgn: { source: ${SOURCE}, column: roepnaam }`,
        /overstap\.yaml:\d+: eckid\.pgn\.column: column "roepnaam" is also pulled by sources\.leerlingen\.columns\.givenName/,
      ],
      ["unknown", "  pgn: { source: las, column: BSN }", /eckid\.pgn\.source: there is no source "las"/],
      [
        "missing",
        `  pgn: { source: ${SOURCE}, column: Burgerservicenummer }`,
        /eckid\.pgn\.column: column "Burgerservicenummer" is not in the header/,
      ],
    ];
    for (const [name, pgnLine, message] of cases) {
      const project = await school(`bad-${name}`, { pgnLine, pull: name === "missing" });
      try {
        const error = await resolveForPlan(project, undefined, {
          params: PARAMS,
          client: fakeService(),
        }).catch((e: unknown) => e);
        expect(error, name).toMatchObject({
          code: "CONFIG_INVALID",
          message: expect.stringMatching(message),
        });
        if (name === "missing") expect((error as { hint?: string }).hint).toContain('"BSN"');
      } finally {
        await project.close();
      }
    }
  });
});
