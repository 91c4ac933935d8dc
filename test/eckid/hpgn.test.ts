import { describe, expect, it } from "vitest";
import { type HashProgress, type HashResult, hashBatch, poolSize } from "../../src/eckid/hash-pool.js";
import { decodeSalt, HPGN_PARAMS, hpgnSync, type ScryptParams, TEST_SALT } from "../../src/eckid/hpgn.js";
import { isOverstapError } from "../../src/errors.js";

const salt = decodeSalt(TEST_SALT, "test");
/** Cheap parameters for everything but the published vectors. */
const CHEAP: ScryptParams = { N: 1024, r: 8, p: 1, dkLen: 32, maxmem: 32 * 1024 * 1024 };
const MIB = 1024 * 1024;

async function collect(iterable: AsyncIterable<HashResult>): Promise<HashResult[]> {
  const out: HashResult[] = [];
  for await (const r of iterable) out.push(r);
  return out;
}

describe("HPGN with Kennisnet's parameters", () => {
  it("matches the published test vectors; upper and lower case give the same hash", async () => {
    const results = await collect(
      hashBatch(
        [
          { ref: "student", pgn: "063138219" },
          { ref: "teacher", pgn: "20DP teacher@school.com" },
          { ref: "teacher-mixed-case", pgn: "20dp TEACHER@School.COM" },
        ],
        { salt, concurrency: 2, memoryLimitBytes: 512 * MIB },
      ),
    );
    const byRef = new Map(results.map((r) => [r.ref, "hpgn" in r ? r.hpgn : r.error.message]));
    expect(byRef.get("student")).toBe("9735dfd2235eaeb5f0300886bcc99c82ffc1d6420c4e0bde8de7218def2135fa");
    expect(byRef.get("teacher")).toBe("0b870ff044775ef0360655c40d5b284b7e3ae2b72207a6894794d787eb019e60");
    expect(byRef.get("teacher-mixed-case")).toBe(byRef.get("teacher"));
  }, 120_000);
});

describe("hash pool", () => {
  it("bounds concurrency by memory: min(cores, floor(limit / 140 MiB))", () => {
    expect(poolSize({ concurrency: 8, memoryLimitBytes: 1024 * MIB })).toBe(7);
    expect(poolSize({ concurrency: 8, memoryLimitBytes: 300 * MIB })).toBe(2);
    expect(poolSize({ concurrency: 3, memoryLimitBytes: 100 * MIB })).toBe(1);
    expect(poolSize({ concurrency: 2, memoryLimitBytes: 4096 * MIB })).toBe(2);
    expect(poolSize({ params: CHEAP, concurrency: 64, memoryLimitBytes: 140 * MIB })).toBe(10);
    expect(() => poolSize({ concurrency: 0 })).toThrow(/positive integer/);
    expect(HPGN_PARAMS.maxmem).toBeGreaterThan(128 * HPGN_PARAMS.N * HPGN_PARAMS.r);
  });

  it("gives the same hashes as the single-threaded function, and errors for invalid PGNs", async () => {
    const pgns = ["063138219", "111222333", "101234564", "20DP a@b.nl", "063138218", "x"];
    const persisted: string[] = [];
    const results = await collect(
      hashBatch(
        pgns.map((pgn, i) => ({ ref: `p${i}`, pgn })),
        { salt, params: CHEAP, concurrency: 2, onResult: (r) => void persisted.push(r.ref) },
      ),
    );
    expect(results).toHaveLength(pgns.length);
    expect(persisted.sort()).toEqual(pgns.map((_, i) => `p${i}`).sort());
    for (const r of results) {
      const i = Number(r.ref.slice(1));
      if (i >= 4) {
        expect("error" in r && isOverstapError(r.error, "ECKID_INVALID_PGN")).toBe(true);
        expect("error" in r && r.error.message).not.toContain(pgns[i]);
      } else {
        expect("hpgn" in r && r.hpgn).toBe(hpgnSync(pgns[i] as string, salt, CHEAP));
      }
    }
  });

  it("reports progress with an ETA measured from completed hashes", async () => {
    let clock = 0;
    const seen: HashProgress[] = [];
    const items = Array.from({ length: 6 }, (_, i) => ({ ref: `r${i}`, pgn: `20DP user${i}@school.nl` }));
    for await (const _ of hashBatch(items, {
      salt,
      params: CHEAP,
      concurrency: 1,
      now: () => clock,
      progress: (p) => {
        seen.push(p);
      },
    })) {
      clock += 1000;
    }
    expect(seen.map((p) => p.done)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seen[0]).toMatchObject({ total: 6, failed: 0, elapsedMs: 0 });
    for (const p of seen.slice(1)) {
      expect(p.hashed).toBeGreaterThanOrEqual(p.done);
      expect(p.perHashMs).toBe(p.elapsedMs / p.hashed);
      expect(p.etaMs).toBe(Math.round((p.perHashMs as number) * (6 - p.hashed)));
    }
    expect(seen[1]?.elapsedMs).toBe(1000);
    expect(seen.at(-1)).toMatchObject({ hashed: 6, etaMs: 0 });
  });

  it("stops the workers when the caller stops early (resume later from what onResult stored)", async () => {
    const items = Array.from({ length: 20 }, (_, i) => ({ ref: `r${i}`, pgn: `20DP user${i}@school.nl` }));
    const stored = new Set<string>();
    for await (const r of hashBatch(items, {
      salt,
      params: CHEAP,
      concurrency: 2,
      onResult: (x) => void stored.add(x.ref),
    })) {
      if (stored.size >= 5) break;
      expect("hpgn" in r).toBe(true);
    }
    expect(stored.size).toBe(5);
    const rest = items.filter((i) => !stored.has(i.ref));
    const second = await collect(hashBatch(rest, { salt, params: CHEAP, concurrency: 2 }));
    expect(new Set([...stored, ...second.map((r) => r.ref)]).size).toBe(20);
  });
});
