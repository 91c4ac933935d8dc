import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NummervoorzieningConfig } from "../../src/eckid/config.js";
import { connectNummervoorziening, type NummervoorzieningClient } from "../../src/eckid/nummervoorziening.js";
import { isOverstapError } from "../../src/errors.js";
import { makeTestCertificates, type TestCertificates } from "../simulators/nummervoorziening/certs.js";
import {
  SIM_CHAIN,
  SIM_SECTOR,
  type Simulator,
  startNummervoorzieningSimulator,
} from "../simulators/nummervoorziening/server.js";

const OIN = "00000001234567890000";
const HPGN_A = "9735dfd2235eaeb5f0300886bcc99c82ffc1d6420c4e0bde8de7218def2135fa";
const HPGN_B = "0b870ff044775ef0360655c40d5b284b7e3ae2b72207a6894794d787eb019e60";
const STAMPSEUDONYM = /^https:\/\/ketenid\.nl\/sppilot\/[0-9a-f]{128}$/;
const ECKID = /^https:\/\/ketenid\.nl\/pilot\/[0-9a-f]{128}$/;

let dir: string;
let certs: TestCertificates;
let sim: Simulator;
let client: NummervoorzieningClient;

function config(url: string, tls: Partial<NummervoorzieningConfig["tls"]> = {}): NummervoorzieningConfig {
  return {
    endpoint: url,
    oin: OIN,
    chainId: SIM_CHAIN,
    sectorId: SIM_SECTOR,
    tls: { cert: certs.clientCert, key: certs.clientKey, ca: certs.caCert, ...tls },
    salt: { env: "UNUSED" },
    timeoutMs: 10_000,
    batchSize: 100,
    poll: { initialDelayMs: 5, factor: 2, maxDelayMs: 20, timeoutMs: 2_000 },
  };
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error("expected a failure");
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "overstap-nv-"));
  certs = makeTestCertificates(path.join(dir, "pki"));
  sim = await startNummervoorzieningSimulator({ certs, notReadyPolls: 2 });
  client = await connectNummervoorziening(config(sim.url), dir);
});

afterAll(async () => {
  client?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("Nummervoorziening client against the simulator", () => {
  it("pings with SOAPAction, wsa:Action and wsa:From carrying the OIN", async () => {
    const ping = await client.ping();
    expect(ping.available).toBe(true);
    expect(ping.applicationVersion).toBe("simulator-1.0");
    expect(Number.isNaN(Date.parse(ping.systemTime))).toBe(false);
    const call = sim.log.calls.at(-1);
    expect(call).toMatchObject({
      operation: "ping",
      soapAction: '"http://ketenid.nl/eck/schemas/v1_0/ping"',
      from: `http://www.w3.org/2005/08/addressing/anonymous?oin=${OIN}`,
      oin: OIN,
    });
  });

  it("retrieves a Stampseudoniem and an ECK iD in the real formats", async () => {
    const sp = await client.retrieveStampseudonym(HPGN_A);
    expect(sp).toMatch(STAMPSEUDONYM);
    expect(sp).toBe(sim.stampseudonymOf(HPGN_A));
    const eckId = await client.retrieveEckId(sp);
    expect(eckId).toMatch(ECKID);
    expect(eckId).toBe(sim.eckIdOf(sp));
    expect(await client.retrieveStampseudonym(HPGN_B)).not.toBe(sp);
  });

  it("lists chains and sectors", async () => {
    expect((await client.retrieveChains()).map((c) => c.id)).toEqual([SIM_CHAIN]);
    const sectors = await client.retrieveSectors();
    expect(sectors.map((s) => s.id)).toEqual([SIM_SECTOR]);
    expect(sectors[0]?.name).toBe("Primair Onderwijs");
  });

  it("runs batches: polls until finished, keeps indexes, fails invalid entries individually", async () => {
    const before = sim.count("retrieveBatch");
    const id = await client.submitStampseudonymBatch([HPGN_A, "not-a-hash", HPGN_B]);
    const sps = await client.retrieveBatch(id);
    expect(sim.count("retrieveBatch") - before).toBe(3);
    expect([...sps.success.keys()].sort()).toEqual([0, 2]);
    expect(sps.success.get(0)).toBe(sim.stampseudonymOf(HPGN_A));
    expect(sps.success.get(2)).toBe(sim.stampseudonymOf(HPGN_B));
    expect(sps.failed.get(1)).toMatch(/Invalid HPGN/);

    const list = [
      sps.success.get(2) as string,
      "https://ketenid.nl/sppilot/xyz",
      sps.success.get(0) as string,
    ];
    const eckIds = await client.retrieveBatch(await client.submitEckIdBatch(list));
    expect(eckIds.success.get(0)).toBe(sim.eckIdOf(list[0] as string));
    expect(eckIds.success.get(2)).toBe(sim.eckIdOf(list[2] as string));
    expect(eckIds.failed.get(1)).toMatch(/Invalid stampseudonym/);
  });

  it("replaces a Stampseudoniem: the new HPGN keeps the old one's pseudonym", async () => {
    const newHpgn = "1".repeat(64);
    const sp = await client.replaceStampseudonym(HPGN_A, newHpgn, new Date("2030-01-01T00:00:00Z"));
    expect(sp).toBe(sim.stampseudonymOf(HPGN_A));
    expect(await client.retrieveStampseudonym(newHpgn)).toBe(sp);
  });

  it("turns soap:Faults into ECKID_SERVICE with the fault string, without echoing hashes", async () => {
    const sp = await client.retrieveStampseudonym(HPGN_A);
    const unknownChain = await failure(
      client.retrieveEckId(sp, { chainId: "invalidchainguid", sectorId: SIM_SECTOR }),
    );
    expect(isOverstapError(unknownChain, "ECKID_SERVICE")).toBe(true);
    expect((unknownChain as Error).message).toMatch(/retrieveEckId: Unknown chain/);
    const unknownSector = await failure(client.submitEckIdBatch([sp], { chainId: SIM_CHAIN, sectorId: "x" }));
    expect((unknownSector as Error).message).toMatch(/Unknown sector/);
    const malformed = await failure(client.retrieveStampseudonym("ABC"));
    expect((malformed as Error).message).toMatch(/Invalid HPGN/);
    const empty = await failure(client.submitStampseudonymBatch([]));
    expect((empty as Error).message).toMatch(/batch is empty/);
    const unknownBatch = await failure(client.retrieveBatch("no-such-batch"));
    expect((unknownBatch as Error).message).toMatch(/Unknown batch identifier/);
  });

  it("gives up polling a batch after the configured time", async () => {
    const slow = await startNummervoorzieningSimulator({ certs, notReadyPolls: 1000 });
    const c = await connectNummervoorziening(
      { ...config(slow.url), poll: { initialDelayMs: 5, factor: 2, maxDelayMs: 10, timeoutMs: 100 } },
      dir,
    );
    try {
      const err = await failure(c.retrieveBatch(await c.submitStampseudonymBatch([HPGN_A])));
      expect(isOverstapError(err, "ECKID_SERVICE")).toBe(true);
      expect((err as Error).message).toMatch(/not processed after/);
    } finally {
      c.close();
      await slow.close();
    }
  });

  it("refuses a request without wsa:From (simulator fault)", async () => {
    const { soapEnvelope, el } = await import("../../src/eckid/soap.js");
    const { default: https } = await import("node:https");
    const { readFileSync } = await import("node:fs");
    const body = soapEnvelope(
      { action: "http://ketenid.nl/eck/schemas/v1_0/ping", to: sim.url },
      el("pingRequest", []),
    );
    const answer = await new Promise<string>((resolve, reject) => {
      const req = https.request(
        sim.url,
        {
          method: "POST",
          cert: readFileSync(certs.clientCert),
          key: readFileSync(certs.clientKey),
          ca: readFileSync(certs.caCert),
          headers: { SOAPAction: '"http://ketenid.nl/eck/schemas/v1_0/ping"', "Content-Type": "text/xml" },
        },
        (res) => {
          let text = "";
          res.on("data", (c) => {
            text += c;
          });
          res.on("end", () => resolve(`${res.statusCode} ${text}`));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
    expect(answer).toMatch(/^500 .*WS-Addressing From is required/);
  });
});

describe("TLS failures", () => {
  it("a client certificate the service does not trust is ECKID_TLS", async () => {
    const rogue = await connectNummervoorziening(
      config(sim.url, { cert: certs.rogueClientCert, key: certs.rogueClientKey }),
      dir,
    );
    try {
      const err = await failure(rogue.ping());
      expect(isOverstapError(err, "ECKID_TLS")).toBe(true);
      expect((err as Error).message).toMatch(/client certificate/);
    } finally {
      rogue.close();
    }
  });

  it("a certificate and key that do not belong together is ECKID_TLS", async () => {
    const err = await failure(connectNummervoorziening(config(sim.url, { key: certs.rogueClientKey }), dir));
    expect(isOverstapError(err, "ECKID_TLS")).toBe(true);
    expect((err as Error).message).toMatch(/do not belong together/);
  });

  it("an expired server certificate is ECKID_TLS", async () => {
    const expired = await startNummervoorzieningSimulator({ certs, expired: true });
    const c = await connectNummervoorziening(config(expired.url), dir);
    try {
      const err = await failure(c.ping());
      expect(isOverstapError(err, "ECKID_TLS")).toBe(true);
      expect((err as Error).message).toMatch(/expired/);
    } finally {
      c.close();
      await expired.close();
    }
  });

  it("a server certificate from an unknown CA is ECKID_TLS", async () => {
    const c = await connectNummervoorziening(config(sim.url, { ca: certs.rogueCaCert }), dir);
    try {
      const err = await failure(c.ping());
      expect(isOverstapError(err, "ECKID_TLS")).toBe(true);
      expect((err as Error).message).toMatch(/not trusted/);
    } finally {
      c.close();
    }
  });

  it("a missing certificate file is a CONFIG_INVALID naming the key", async () => {
    const err = await failure(connectNummervoorziening(config(sim.url, { cert: "nope.pem" }), dir));
    expect(isOverstapError(err, "CONFIG_INVALID")).toBe(true);
    expect((err as Error).message).toMatch(/eckid\.tls\.cert/);
  });
});
