import { describe, expect, it } from "vitest";
import { benchMapping } from "../../scripts/bench/mapping.js";

describe("mapping throughput", () => {
  it("maps a realistic 12-attribute mapping fast enough for a million persons", async () => {
    const n = 200_000;
    const { perSecond, cpuPerSecond } = await benchMapping(n);
    console.log(`mapping: ${n} persons at ${perSecond} persons/s, ${cpuPerSecond} per CPU-second`);
    // A loose floor: the test machine is shared, and the target (1M in a few seconds) is
    // measured with scripts/bench/mapping.ts; this catches an order-of-magnitude regression.
    expect(perSecond).toBeGreaterThan(25_000);
  });
});
