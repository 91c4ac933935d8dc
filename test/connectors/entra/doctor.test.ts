/**
 * Finding 1 of issue 16, for Entra: doctor never asked for a token, so a wrong client secret
 * passed. Against the Graph simulator: a token and one page of users (with the configured
 * $select) and of groups; a wrong secret, a missing permission each fail, naming the cause.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ALL_ROLES,
  type GraphSimulator,
  SIM_CLIENT_SECRET,
  startGraphSimulator,
} from "../../simulators/graph/index.js";
import { simSource } from "./harness.js";

let sim: GraphSimulator;
const APP = "00000000-0000-4000-8000-000000000001";
const USERS_ONLY = "00000000-0000-4000-8000-000000000003";

beforeAll(async () => {
  sim = await startGraphSimulator({
    tenant: { seed: 5, users: 30, groups: 4 },
    apps: [
      {
        clientId: APP,
        secret: SIM_CLIENT_SECRET,
        roles: ALL_ROLES,
      },
      { clientId: USERS_ONLY, secret: SIM_CLIENT_SECRET, roles: ["User.Read.All"] },
    ],
  });
});

afterAll(async () => {
  await sim?.close();
});

describe("the Entra source's doctor check", () => {
  it("gets a token and reads one page of users and groups", async () => {
    const found = await (await simSource(sim, undefined, { clientId: APP })).check();
    expect(found.map((f) => f.status)).toEqual(["ok", "ok", "ok"]);
    expect(found[1]?.message).toBe("read one page of users with the configured $select");
  });

  it("fails a wrong client secret, and reads nothing without a token", async () => {
    process.env.OVERSTAP_TEST_WRONG_SECRET = "not-the-secret";
    const source = await simSource(sim, undefined, {
      clientId: APP,
      clientSecret: { env: "OVERSTAP_TEST_WRONG_SECRET" },
    });
    const found = await source.check();
    expect(found.map((f) => f.status)).toEqual(["failed", "not checked"]);
    expect(found[0]?.message).toMatch(/^\[SOURCE_AUTH\] .*the client secret is wrong/);
  });

  it("names the permission the app lacks", async () => {
    const found = await (await simSource(sim, undefined, { clientId: USERS_ONLY })).check();
    expect(found.map((f) => f.status)).toEqual(["ok", "ok", "failed"]);
    expect(found[2]?.message).toContain("lacks the application permission GroupMember.Read.All");
  });
});
