import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGoogleSource } from "../../../connectors/google/index.js";
import { isOverstapError, type OverstapError } from "../../../src/errors.js";
import { openMemoryStore } from "../../../src/state/memory.js";
import {
  type GoogleSimulator,
  READ_SCOPES,
  SIM_NON_ADMIN,
  startGoogleSimulator,
} from "../../simulators/google/index.js";
import { caFetch, pullInto, testContext } from "../entra/support.js";
import { KEY_ENV, simConfig, simSource } from "./harness.js";

let sim: GoogleSimulator;

beforeAll(async () => {
  sim = await startGoogleSimulator({ tenant: { seed: 4, users: 60 } });
});

afterAll(async () => {
  await sim?.close();
});

/** The error a pull with these settings ends in (it must end in one). */
async function pullError(
  s: GoogleSimulator,
  overrides: Record<string, unknown> = {},
  key?: string,
): Promise<OverstapError> {
  const config = simConfig(s, overrides);
  if (key !== undefined) process.env[KEY_ENV] = key;
  try {
    const source = await createGoogleSource(config, testContext("google", { fetch: caFetch(s.caPem) }));
    await pullInto(source, openMemoryStore());
  } catch (err) {
    if (isOverstapError(err)) return err;
    throw err;
  }
  throw new Error("the pull did not fail");
}

/** A paragraph: one message and one hint, neither empty, no line breaks. */
function expectParagraph(e: OverstapError): void {
  expect(e.message).not.toMatch(/\n/);
  expect(e.hint ?? "").not.toBe("");
}

describe("Google source: clear errors", () => {
  it("a key that is not a service account key", async () => {
    const e = await pullError(sim, {}, "not json at all -----BEGIN PRIVATE KEY-----");
    expect(e.code).toBe("SOURCE_AUTH");
    expect(e.message).toContain("sources.google.key: the service account key is not JSON");
    expect(`${e.message} ${e.hint}`).not.toContain("BEGIN");
    expectParagraph(e);
  });

  it("a key Google does not know (the signature does not verify)", async () => {
    const json = JSON.parse(sim.keyFile) as Record<string, string>;
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    json.private_key = other.export({ type: "pkcs8", format: "pem" }).toString();
    const e = await pullError(sim, {}, JSON.stringify(json));
    expect(e.code).toBe("SOURCE_AUTH");
    expect(e.message).toMatch(/the key was not accepted .*Invalid JWT Signature/);
    expect(`${e.message} ${e.hint}`).not.toContain("PRIVATE KEY");
    expectParagraph(e);
  });

  it("a delegation that lacks a scope names the scope and where to grant it", async () => {
    const partial = await startGoogleSimulator({
      tenant: { seed: 4, users: 20 },
      delegated: READ_SCOPES.filter((s) => !s.endsWith("group.member.readonly")),
    });
    try {
      const e = await pullError(partial);
      expect(e.code).toBe("SOURCE_PERMISSION");
      expect(e.message).toContain(
        "domain-wide delegation does not grant https://www.googleapis.com/auth/admin.directory.group.member.readonly (",
      );
      expect(e.message).not.toContain("user.readonly");
      expect(e.hint).toContain("Security → Access and data control → API controls → Domain-wide delegation");
      expectParagraph(e);
    } finally {
      await partial.close();
    }
  });

  it("a subject that is not an admin", async () => {
    const e = await pullError(sim, { subject: SIM_NON_ADMIN });
    expect(e.code).toBe("SOURCE_PERMISSION");
    expect(e.message).toContain(`${SIM_NON_ADMIN} may not read this (403 forbidden`);
    expect(e.hint).toContain("super admin");
    expectParagraph(e);
  });

  it("a subject Google does not know", async () => {
    const e = await pullError(sim, { subject: "niemand@po-voorbeeld.nl" });
    expect(e.code).toBe("SOURCE_AUTH");
    expect(e.message).toContain("Google does not know the subject");
    expectParagraph(e);
  });

  it("an unknown customer", async () => {
    const e = await pullError(sim, { customer: "C0unknown" });
    expect(e.code).toBe("CONFIG_INVALID");
    expect(e.message).toContain('customer "C0unknown"');
    expectParagraph(e);
  });

  it("a domain that is not the account's", async () => {
    const e = await pullError(sim, { domains: ["andere-school.nl"] });
    expect(e.code).toBe("CONFIG_INVALID");
    expect(e.message).toContain("refuses domain andere-school.nl");
    expectParagraph(e);
  });

  it("an unreachable endpoint, and one whose certificate is not trusted", async () => {
    const e = await pullError(sim, { tokenUrl: "https://127.0.0.1:9/token", retries: 0 });
    expect(e.code).toBe("SOURCE_UNREACHABLE");
    expect(e.message).toMatch(/cannot reach 127\.0\.0\.1:9 \(.*ECONNREFUSED/);
    expectParagraph(e);
    process.env[KEY_ENV] = sim.keyFile;
    const untrusted = await createGoogleSource(
      simConfig(sim, { retries: 0 }),
      testContext("google", { fetch: globalThis.fetch }),
    );
    const err = await pullInto(untrusted, openMemoryStore()).catch((x: unknown) => x as OverstapError);
    expect((err as OverstapError).code).toBe("SOURCE_UNREACHABLE");
    expect((err as OverstapError).hint).toContain("NODE_EXTRA_CA_CERTS");
  });

  it("dailyLimitExceeded is final, not retried", async () => {
    const daily = await startGoogleSimulator({ tenant: { seed: 4, users: 20 }, quota: { daily: 0 } });
    try {
      const e = await pullError(daily);
      expect(e.code).toBe("SOURCE_THROTTLED");
      expect(e.message).toContain("daily quota is used up");
      expect(daily.stats.apiRequests).toBe(1);
      expectParagraph(e);
    } finally {
      await daily.close();
    }
  });

  it("throttling that does not end gives up after the retries", async () => {
    const tight = await startGoogleSimulator({
      tenant: { seed: 4, users: 20 },
      faults: { rate: 1, kinds: ["429"] },
    });
    try {
      const e = await pullError(tight, { retries: 2 });
      expect(e.code).toBe("SOURCE_THROTTLED");
      expect(tight.stats.apiRequests).toBe(3);
      expectParagraph(e);
    } finally {
      await tight.close();
    }
  });
});

describe("Google source: doctor", () => {
  it("asks for a token and reads one user", async () => {
    const source = await simSource(sim);
    const findings = await source.check();
    expect(findings.map((f) => f.status)).toEqual(["ok", "ok"]);
    expect(findings[0]?.message).toContain(`acting as ${sim.admin}`);
  });

  it("says what fails, and does not read without a token", async () => {
    const source = await simSource(sim, undefined, { subject: SIM_NON_ADMIN });
    const findings = await source.check();
    expect(findings.map((f) => f.status)).toEqual(["ok", "failed"]);
    expect(findings[1]?.message).toContain("[SOURCE_PERMISSION]");
    const unknown = await simSource(sim, undefined, { subject: "niemand@po-voorbeeld.nl" });
    expect((await unknown.check()).map((f) => f.status)).toEqual(["failed", "not checked"]);
  });
});
