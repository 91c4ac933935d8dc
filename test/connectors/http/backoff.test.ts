import { describe, expect, it } from "vitest";
import { backoffMs, DEFAULT_BACKOFF } from "../../../connectors/http/index.js";

describe("jittered exponential backoff", () => {
  const at = (random: number, attempt: number) =>
    backoffMs(attempt, { ...DEFAULT_BACKOFF, random: () => random });

  it("doubles per attempt from the base, between half of the step and all of it", () => {
    expect(at(0, 0)).toBe(125);
    expect(at(0.999_999, 0)).toBeCloseTo(250, 3);
    expect(at(0, 3)).toBe(1000);
    expect(at(0.5, 3)).toBe(1500);
  });

  it("never exceeds the cap, nor waits less than half of it once there", () => {
    expect(at(0, 20)).toBe(15_000);
    expect(at(0.999_999, 20)).toBeLessThanOrEqual(30_000);
  });

  it("stays within the bounds with the real random source", () => {
    for (let i = 0; i < 200; i++) {
      const ms = backoffMs(2);
      expect(ms).toBeGreaterThanOrEqual(500);
      expect(ms).toBeLessThan(1000);
    }
  });
});
