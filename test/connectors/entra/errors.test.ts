import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEntraSource } from "../../../connectors/entra/index.js";
import { isOverstapError, type OverstapError } from "../../../src/errors.js";
import { openMemoryStore } from "../../../src/state/memory.js";
import {
  ALL_ROLES,
  type GraphSimulator,
  generateClientCertificate,
  SIM_CLIENT_SECRET,
  startGraphSimulator,
} from "../../simulators/graph/index.js";
import { simConfig, simSource } from "./harness.js";
import { caFetch, pullInto, snapshotOf, testContext } from "./support.js";

let sim: GraphSimulator;
const cert = generateClientCertificate();
const dir = mkdtempSync(path.join(tmpdir(), "entra-errors-"));

beforeAll(async () => {
  sim = await startGraphSimulator({
    tenant: { seed: 3, users: 120, groups: 10 },
    apps: [
      { clientId: "00000000-0000-4000-8000-000000000001", secret: SIM_CLIENT_SECRET, roles: ALL_ROLES },
      {
        clientId: "00000000-0000-4000-8000-000000000002",
        secret: SIM_CLIENT_SECRET,
        secretExpired: true,
        roles: ALL_ROLES,
      },
      {
        clientId: "00000000-0000-4000-8000-000000000003",
        secret: SIM_CLIENT_SECRET,
        roles: ["User.Read.All"],
      },
      {
        clientId: "00000000-0000-4000-8000-000000000004",
        secret: SIM_CLIENT_SECRET,
        roles: ["GroupMember.Read.All"],
      },
      { clientId: "00000000-0000-4000-8000-000000000005", certPem: cert.certPem, roles: ALL_ROLES },
    ],
  });
  writeFileSync(path.join(dir, "app.key"), cert.keyPem, { mode: 0o600 });
  writeFileSync(path.join(dir, "app.pem"), cert.certPem);
});

afterAll(async () => {
  await sim?.close();
});

async function failure(overrides: Record<string, unknown>): Promise<OverstapError> {
  const source = await simSource(sim, openMemoryStore(), overrides);
  try {
    await pullInto(source);
  } catch (err) {
    if (isOverstapError(err)) return err;
    throw err;
  }
  throw new Error("the pull did not fail");
}

const app = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;

describe("Entra source: one clear error per failure", () => {
  it("a wrong client secret is SOURCE_AUTH and never shows the secret", async () => {
    process.env.OVERSTAP_TEST_WRONG_SECRET = "not-the-secret-value";
    const err = await failure({ clientId: app(1), clientSecret: { env: "OVERSTAP_TEST_WRONG_SECRET" } });
    expect(err.code).toBe("SOURCE_AUTH");
    expect(err.message).toMatch(/client secret is wrong .*AADSTS7000215/);
    expect(`${err.message} ${err.hint}`).not.toContain("not-the-secret-value");
  });

  it("an expired client secret says so", async () => {
    const err = await failure({ clientId: app(2) });
    expect(err.code).toBe("SOURCE_AUTH");
    expect(err.message).toMatch(/client secret has expired .*AADSTS7000222/);
    expect(err.hint).toMatch(/new client secret/);
  });

  it("a wrong tenant names the tenant (AADSTS90002)", async () => {
    const err = await failure({ clientId: app(1), tenantId: "geen-tenant.example" });
    expect(err.code).toBe("SOURCE_AUTH");
    expect(err.message).toMatch(/tenant geen-tenant\.example does not exist .*AADSTS90002/);
  });

  it.each([
    [3, "GroupMember.Read.All"],
    [4, "User.Read.All"],
  ])("a missing permission names it (app %i lacks %s)", async (n, permission) => {
    const err = await failure({ clientId: app(n) });
    expect(err.code).toBe("SOURCE_PERMISSION");
    expect(err.message).toContain(permission);
    expect(err.hint).toContain(`Grant the application permission ${permission}`);
  });

  it("an unreachable endpoint is SOURCE_UNREACHABLE naming the host", async () => {
    const err = await failure({
      clientId: app(1),
      authorityHost: "https://127.0.0.1:9",
      graphBaseUrl: "https://127.0.0.1:9/v1.0",
      retries: 1,
    });
    expect(err.code).toBe("SOURCE_UNREACHABLE");
    expect(err.message).toContain("127.0.0.1:9");
    expect(err.message).toMatch(/ECONNREFUSED/);
  });

  it("an unknown property in select is SOURCE_INVALID with Graph's reason", async () => {
    const err = await failure({ clientId: app(1), select: ["shoeSize"] });
    expect(err.code).toBe("SOURCE_INVALID");
    expect(err.message).toContain("shoeSize");
  });

  it("a config with both or neither credential is refused", async () => {
    const ctx = testContext("entra");
    const { clientSecret: _omit, ...noCredential } = simConfig(sim);
    await expect(createEntraSource(noCredential, ctx)).rejects.toThrow(
      /exactly one of clientSecret or certificate/,
    );
    await expect(
      createEntraSource({ ...simConfig(sim), authorityHost: "http://login.example" }, ctx),
    ).rejects.toThrow(/https/);
  });
});

describe("Entra source: certificate credential", () => {
  it("pulls with a client assertion signed by the certificate's key", async () => {
    const { clientSecret: _omit, ...config } = simConfig(sim, { clientId: app(5) });
    const store = openMemoryStore();
    const ctx = testContext("entra", { store, fetch: caFetch(sim.caPem), baseDir: dir });
    const source = await createEntraSource(
      { ...config, certificate: { keyFile: "app.key", certFile: "app.pem" } },
      ctx,
    );
    await pullInto(source, store);
    expect((await snapshotOf(store)).persons).toHaveLength(sim.directory.users.size);
  });
});
