import { describe, expect, it } from "vitest";
import { GraphClient } from "../../../connectors/entra/http.js";
import { UnitBudget } from "../../../connectors/http/index.js";

const BASE = "https://graph.test/v1.0";

/** A GraphClient over a fetch that answers every GET at once with an empty page, noting the paths. */
function client(concurrency: number, unitsPer10s: number): { client: GraphClient; sent: string[] } {
  const sent: string[] = [];
  const fetch = (async (url: string | URL | Request) => {
    sent.push(new URL(String(url)).pathname.replace("/v1.0/", ""));
    return new Response(JSON.stringify({ value: [] }), { status: 200 });
  }) as typeof globalThis.fetch;
  return {
    sent,
    client: new GraphClient({
      source: "entra",
      baseUrl: BASE,
      tokens: { get: async () => "token" },
      fetch,
      concurrency,
      unitsPer10s,
      timeoutMs: 5000,
      retries: 0,
    }),
  };
}

describe("Entra client: lanes", () => {
  it("sends a chain page before fan-out requests that hold every fan-out slot waiting for units", async () => {
    const { client: c, sent } = client(4, 200);
    await Promise.all(Array.from({ length: 200 }, (_, i) => c.get(`groups/g${i}`)));
    const waiting = Array.from({ length: 6 }, (_, i) => c.get(`groups/late${i}`));
    await new Promise((resolve) => setImmediate(resolve));
    const issued = sent.length;
    const chain = c.get("groups/chain", { priority: true });
    await Promise.all([chain, ...waiting]);
    expect(sent[issued]).toBe("groups/chain");
  });
});

describe("Entra client: unit budget", () => {
  it("holds the bucket at the capacity less the units of requests not yet answered", async () => {
    const budget = new UnitBudget(1000);
    const first = await budget.take(10);
    budget.settled(first);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const b = await budget.take(10);
    const c = await budget.take(10);
    budget.settled(b);
    let granted = false;
    const big = budget.take(995).then((ticket) => {
      granted = true;
      return ticket;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(granted).toBe(false);
    budget.settled(c);
    budget.settled(await big);
    expect(granted).toBe(true);
  });
});
