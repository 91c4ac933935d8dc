import { describe, expect, it } from "vitest";
import { benchEckid } from "../../scripts/bench/eckid.js";

describe("benchEckid", () => {
  it("measures the pool against a single-threaded baseline and the process's peak RSS", async () => {
    const r = await benchEckid(6, { params: { N: 16384, r: 8, p: 1, dkLen: 32, maxmem: 64 * 1024 * 1024 } });
    expect(r.cores).toBeGreaterThanOrEqual(1);
    expect(r.workers).toBeGreaterThanOrEqual(1);
    expect(r.singleThreadedPerHashMs).toBeGreaterThan(0);
    expect(r.pooledPerHashMs).toBeGreaterThan(0);
    expect(r.speedup).toBeCloseTo(r.singleThreadedPerHashMs / r.pooledPerHashMs, 0);
    // one 16 MiB scrypt block per worker is resident at the peak, on top of node itself
    expect(r.peakRssMiB).toBeGreaterThan(16);
  });
});
