import { describe, expect, it } from "vitest";
import { sleep, UnitBudget } from "../../../connectors/http/index.js";

describe("unit budget", () => {
  it("grants up to its capacity at once, then waits for the refill", async () => {
    const budget = new UnitBudget(100, 1000);
    budget.settled(await budget.take(100));
    const t0 = performance.now();
    budget.settled(await budget.take(20));
    const waited = performance.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(150);
    expect(waited).toBeLessThan(1000);
  });

  it("refuses a capacity that is not a positive integer", () => {
    expect(() => new UnitBudget(0)).toThrow(/positive integer/);
    expect(() => new UnitBudget(1.5)).toThrow(/positive integer/);
  });

  it("pauses everyone for a Retry-After", async () => {
    const budget = new UnitBudget(100, 1000);
    budget.pause(200);
    const t0 = performance.now();
    budget.settled(await budget.take(1));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
  });

  it("lets a waiter go when its signal aborts, and serves the next", async () => {
    const budget = new UnitBudget(10, 60_000);
    const held = await budget.take(10);
    const controller = new AbortController();
    const waiting = budget.take(5, controller.signal);
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
    const aborted = new AbortController();
    aborted.abort(new Error("already"));
    await expect(budget.take(1, aborted.signal)).rejects.toThrow("already");
    budget.settled(held);
  });

  it("sleep resolves after the time, or rejects when aborted", async () => {
    const t0 = performance.now();
    await sleep(50);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
    const controller = new AbortController();
    const slept = sleep(10_000, controller.signal);
    controller.abort(new Error("woken"));
    await expect(slept).rejects.toThrow("woken");
  });
});
