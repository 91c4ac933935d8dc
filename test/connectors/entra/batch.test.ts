import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UnitBudget } from "../../../connectors/http/index.js";
import { openMemoryStore } from "../../../src/state/memory.js";
import { type GraphSimulator, SIM_CLIENT_SECRET, startGraphSimulator } from "../../simulators/graph/index.js";
import { simSource } from "./harness.js";
import { caFetch, pullInto, snapshotOf } from "./support.js";

const TENANT = { seed: 4, users: 120, groups: 10, bigGroup: 60 };
let sim: GraphSimulator;
let token: string;

async function post(body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await caFetch(sim.caPem)(`${sim.graphBaseUrl}/$batch`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

interface Item {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

beforeAll(async () => {
  sim = await startGraphSimulator({ tenant: TENANT, unitsPer10s: 10 });
  const res = await caFetch(sim.caPem)(`${sim.authorityHost}/${sim.tenantId}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: sim.clientId,
      client_secret: SIM_CLIENT_SECRET,
      scope: "https://graph.microsoft.com/.default",
    }).toString(),
  });
  token = ((await res.json()) as { access_token: string }).access_token;
});

afterAll(async () => {
  await sim?.close();
});

describe("Graph simulator: JSON batching", () => {
  it("refuses more than 20 requests and duplicate ids (case-insensitive) with a 400 for the batch", async () => {
    const get = (id: string) => ({ id, method: "GET", url: "/groups?$select=id" });
    const tooMany = await post({ requests: Array.from({ length: 21 }, (_, i) => get(String(i))) });
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.json)).toContain("20");
    const twice = await post({ requests: [get("a"), get("A")] });
    expect(twice.status).toBe(400);
  });

  it("answers each request with its own status, charges each against the budget, and throttles inside", async () => {
    const groups = [...sim.directory.groups.keys()];
    const requests = groups.map((g, i) => ({
      id: `r${i}`,
      method: "GET",
      url: `/groups/${g}/members?$select=id&$top=999`,
    }));
    requests.push({ id: "missing", method: "GET", url: "/groups/00000000-0000-0000-0000-000000000000" });
    const spentBefore = sim.budget.unitsSpent;
    const { status, json } = await post({ requests });
    expect(status).toBe(200);
    const responses = json.responses as Item[];
    expect(responses.map((r) => r.id).sort()).toEqual(requests.map((r) => r.id).sort());
    const ok = responses.filter((r) => r.status === 200);
    const throttled = responses.filter((r) => r.status === 429);
    expect(ok.length).toBeGreaterThan(0);
    expect(throttled.length).toBeGreaterThan(0);
    for (const r of throttled) expect(Number(r.headers["Retry-After"])).toBeGreaterThanOrEqual(1);
    for (const r of ok) expect(Array.isArray(r.body.value)).toBe(true);
    expect(sim.budget.unitsSpent - spentBefore).toBe(
      ok.reduce((n, r) => n + Number(r.headers["x-ms-resource-unit"]), 0),
    );
  });
});

describe("Entra client: batches against a stricter service", () => {
  it("retries the throttled requests inside batches and yields the same snapshot", async () => {
    const strict = await startGraphSimulator({ tenant: TENANT, unitsPer10s: 30 });
    const relaxed = await startGraphSimulator({ tenant: TENANT });
    try {
      const expected = await snapshotOf(await pullInto(await simSource(relaxed, openMemoryStore())));
      const source = await simSource(strict, openMemoryStore(), { budget: { unitsPer10s: 3000 } });
      const store = await pullInto(source);
      expect(strict.budget.throttled).toBeGreaterThan(0);
      expect(strict.stats.subRequests).toBeGreaterThan(0);
      expect(await snapshotOf(store)).toEqual(expected);
    } finally {
      await strict.close();
      await relaxed.close();
    }
  });
});

describe("Entra client: unit budget", () => {
  it("serves a waiting page-chain request before waiting fan-out requests", async () => {
    const budget = new UnitBudget(1000);
    budget.settled(await budget.take(1000));
    const order: string[] = [];
    const fanOut = budget.take(50).then(() => order.push("fan-out"));
    const chain = budget.take(50, undefined, true).then(() => order.push("chain"));
    await Promise.all([fanOut, chain]);
    expect(order).toEqual(["chain", "fan-out"]);
  });

  it("holds the refill after spending from a full bucket until that request is answered", async () => {
    const budget = new UnitBudget(1000);
    const ticket = await budget.take(1000);
    let granted = false;
    const next = budget.take(1).then(() => {
      granted = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(granted).toBe(false);
    budget.settled(ticket);
    await next;
    expect(granted).toBe(true);
  });
});
