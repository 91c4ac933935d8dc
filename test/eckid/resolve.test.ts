import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeSalt, hpgnSync, TEST_SALT } from "../../src/eckid/hpgn.js";
import { connectNummervoorziening, type NummervoorzieningClient } from "../../src/eckid/nummervoorziening.js";
import {
  ECKID_NAMESPACE,
  type EckIdIssue,
  type ResolveStats,
  resolveEckIds,
} from "../../src/eckid/resolve.js";
import { type Person, PersonSchema } from "../../src/model/person.js";
import { makeTestCertificates } from "../simulators/nummervoorziening/certs.js";
import {
  SIM_CHAIN,
  SIM_SECTOR,
  type Simulator,
  startNummervoorzieningSimulator,
} from "../simulators/nummervoorziening/server.js";
import { testBsn } from "./fixtures/las.js";

const salt = decodeSalt(TEST_SALT, "test");
const PARAMS = { N: 1024, r: 8, p: 1, dkLen: 32, maxmem: 32 * 1024 * 1024 };
const CARRIED = `https://ketenid.nl/201703/${"c".repeat(128)}`;
const TARGET = `https://ketenid.nl/201703/${"d".repeat(128)}`;

let dir: string;
let sim: Simulator;
let client: NummervoorzieningClient;

class MemoryStore {
  readonly data = new Map<string, string>();
  writes = 0;
  async getValues(ns: string, keys: string[]) {
    return new Map(
      keys.flatMap((k) => (this.data.has(`${ns}/${k}`) ? [[k, this.data.get(`${ns}/${k}`) as string]] : [])),
    );
  }
  async setValues(ns: string, entries: Iterable<[string, string]>) {
    this.writes++;
    for (const [k, v] of entries) this.data.set(`${ns}/${k}`, v);
  }
}

function pupil(id: string, ext: Record<string, string> = {}): Person {
  return PersonSchema.parse({ source: "las", id, roles: ["student"], ext });
}

function expected(pgn: string): string {
  return sim.eckIdOf(sim.stampseudonymOf(hpgnSync(pgn, salt, PARAMS)));
}

function freshStats(): ResolveStats {
  return { carriedOver: 0, inTarget: 0, cached: 0, fetched: 0, withoutPgn: 0, failed: 0 };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "overstap-resolve-"));
  const certs = makeTestCertificates(path.join(dir, "pki"));
  sim = await startNummervoorzieningSimulator({ certs, notReadyPolls: 1 });
  client = await connectNummervoorziening(
    {
      endpoint: sim.url,
      oin: "00000001234567890000",
      chainId: SIM_CHAIN,
      sectorId: SIM_SECTOR,
      tls: { cert: certs.clientCert, key: certs.clientKey, ca: certs.caCert },
      salt: { env: "UNUSED" },
      timeoutMs: 10_000,
      batchSize: 100,
      poll: { initialDelayMs: 5, factor: 2, maxDelayMs: 20, timeoutMs: 2_000 },
    },
    dir,
  );
});

afterAll(async () => {
  client?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("resolveEckIds", () => {
  it("fetches through batches, caches per person, and a second run costs no hash and no call", async () => {
    const persons = Array.from({ length: 10 }, (_, i) => pupil(`p${i}`));
    const pgn = new Map(persons.map((p, i) => [p.id, testBsn(i)]));
    const store = new MemoryStore();
    const progress: number[] = [];
    const first = await resolveEckIds(persons, {
      store,
      pgnFor: (p) => pgn.get(p.id),
      client,
      hashOptions: { salt, params: PARAMS, concurrency: 2 },
      batchSize: 4,
      progress: (p) => progress.push(p.resolved),
    });
    expect(first.size).toBe(10);
    for (const p of persons) {
      expect(first.get(`las:${p.id}`)).toBe(expected(pgn.get(p.id) as string));
      expect(store.data.get(`${ECKID_NAMESPACE}/las:${p.id}`)).toBe(first.get(`las:${p.id}`));
    }
    expect(store.writes).toBe(3); // 4 + 4 + 2
    expect(Math.max(...progress)).toBe(10);

    const callsBefore = sim.log.calls.length;
    let pgnReads = 0;
    const stats = freshStats();
    const second = await resolveEckIds(persons, {
      store,
      pgnFor: (p) => {
        pgnReads++;
        return pgn.get(p.id);
      },
      client,
      hashOptions: { salt, params: PARAMS },
      stats,
    });
    expect(second).toEqual(first);
    expect(sim.log.calls.length).toBe(callsBefore);
    expect(pgnReads).toBe(0);
    expect(stats).toMatchObject({ cached: 10, fetched: 0 });
  });

  it("keeps carried-over and target values without hashing; a malformed carried-over value is reported", async () => {
    const store = new MemoryStore();
    const issues: EckIdIssue[] = [];
    const stats = freshStats();
    const persons = [
      pupil("carried", { extension_0a1b_eckId: CARRIED }),
      pupil("in-target"),
      pupil("bad-carried", { eckId: "https://ketenid.nl/pilot/NOT-HEX" }),
    ];
    await store.setValues(ECKID_NAMESPACE, [["las:carried", `https://ketenid.nl/201703/${"e".repeat(128)}`]]);
    const read: string[] = [];
    const result = await resolveEckIds(persons, {
      store,
      pgnFor: (p) => {
        read.push(p.id);
        return testBsn(99);
      },
      inTarget: (p) => (p.id === "in-target" ? TARGET : undefined),
      client,
      hashOptions: { salt, params: PARAMS },
      onIssue: (i) => issues.push(i),
      stats,
    });
    expect(result.get("las:carried")).toBe(CARRIED);
    expect(result.get("las:in-target")).toBe(TARGET);
    expect(result.get("las:bad-carried")).toBe(expected(testBsn(99)));
    expect(read).toEqual(["bad-carried"]);
    expect(issues).toEqual([
      expect.objectContaining({ ref: "las:bad-carried", field: "eckId", code: "SOURCE_INVALID" }),
    ]);
    expect(stats).toMatchObject({ carriedOver: 1, inTarget: 1, fetched: 1 });
  });

  it("reports invalid PGNs and per-person service failures, and resolves the rest", async () => {
    const store = new MemoryStore();
    const issues: EckIdIssue[] = [];
    const persons = ["a", "b", "c", "bad", "d"].map((id) => pupil(id));
    const pgn = new Map([
      ["a", testBsn(1)],
      ["b", testBsn(2)],
      ["c", testBsn(3)],
      ["bad", "123456789"],
      ["d", testBsn(4)],
    ]);
    const brokenHpgn = hpgnSync(testBsn(2), salt, PARAMS);
    const flaky = {
      ...client,
      // the service fails one entry of the batch; the others must still come through
      submitStampseudonymBatch: (hpgns: readonly string[]) =>
        client.submitStampseudonymBatch(hpgns.map((h) => (h === brokenHpgn ? "broken" : h))),
    };
    const result = await resolveEckIds(persons, {
      store,
      pgnFor: (p) => pgn.get(p.id),
      client: flaky,
      hashOptions: { salt, params: PARAMS, concurrency: 2 },
      onIssue: (i) => issues.push(i),
    });
    expect([...result.keys()].sort()).toEqual(["las:a", "las:c", "las:d"]);
    expect(issues.map((i) => [i.ref, i.field, i.code]).sort()).toEqual([
      ["las:b", "eckId", "ECKID_SERVICE"],
      ["las:bad", "pgn", "ECKID_INVALID_PGN"],
    ]);
    for (const i of issues) expect(i.reason).not.toMatch(/123456789|[0-9a-f]{64}/);
    expect(store.data.has(`${ECKID_NAMESPACE}/las:b`)).toBe(false);
  });

  it("uses the single-value operations for a few persons", async () => {
    const before = {
      single: sim.count("retrieveStampseudonym"),
      batch: sim.count("submitStampseudonymBatch"),
    };
    const result = await resolveEckIds([pupil("only")], {
      store: new MemoryStore(),
      pgnFor: () => testBsn(7),
      client,
      hashOptions: { salt, params: PARAMS },
    });
    expect(result.get("las:only")).toBe(expected(testBsn(7)));
    expect(sim.count("retrieveStampseudonym") - before.single).toBe(1);
    expect(sim.count("submitStampseudonymBatch") - before.batch).toBe(0);
  });
});
