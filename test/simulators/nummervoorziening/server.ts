import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { TestCertificates } from "./certs.js";
import {
  ANONYMOUS,
  actionOf,
  BATCH_NOT_READY,
  faultResponse,
  type Node,
  node,
  type Operation,
  readRequest,
  responseEnvelope,
  WSDL_OPERATIONS,
} from "./soap.js";

/** The test chain and sector of Kennisnet's reference clients. */
export const SIM_CHAIN = "http://purl.edustandaard.nl/begrippenkader/e7ec7d3c-c235-4513-bfb6-e54e66854795";
export const SIM_SECTOR = "http://purl.edustandaard.nl/begrippenkader/512e4729-03a4-43a2-95ba-758071d1b725";
export const STAMPSEUDONYM_PREFIX = "https://ketenid.nl/sppilot/";
export const ECKID_PREFIX = "https://ketenid.nl/pilot/";

export interface SimulatorOptions {
  certs: TestCertificates;
  /** Serve the expired server certificate. */
  expired?: boolean;
  /** How many `retrieveBatch` polls answer "not finished" before the result (default 1). */
  notReadyPolls?: number;
  /** Key of the HMAC that makes the values (deterministic per key). */
  key?: string;
  port?: number;
}

/** What the simulator saw; tests assert on it. */
export interface SimulatorLog {
  calls: {
    operation: string;
    soapAction: string | undefined;
    from: string | undefined;
    oin: string | undefined;
  }[];
  /** Every HPGN it received, so leak tests know what to look for. */
  hpgns: Set<string>;
}

export interface Simulator {
  url: string;
  log: SimulatorLog;
  count(operation: Operation): number;
  /** The values the simulator gives, for assertions. */
  stampseudonymOf(hpgn: string): string;
  eckIdOf(stampseudonym: string, chainId?: string, sectorId?: string): string;
  close(): Promise<void>;
}

class Fault extends Error {
  constructor(
    readonly text: string,
    readonly actor?: string,
    readonly code = "soap:Client",
  ) {
    super(text);
  }
}

interface Batch {
  polls: number;
  delivered: boolean;
  success: [number, string][];
  failed: [number, string][];
}

const HPGN = /^[0-9a-f]{64}$/;
const STAMPSEUDONYM = /^https:\/\/ketenid\.nl\/sppilot\/[0-9a-f]{128}$/;
const FROM = /^http:\/\/www\.w3\.org\/2005\/08\/addressing\/anonymous\?oin=([0-9]{20})$/;

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function items(value: unknown): Record<string, unknown>[] {
  if (value === undefined || value === "") return [];
  return (Array.isArray(value) ? value : [value]) as Record<string, unknown>[];
}

/**
 * Starts a Nummervoorziening simulator: HTTPS with client-certificate authentication, the
 * EckID WSDL's messages and faults, deterministic HMAC-keyed values in the real formats,
 * and batches that are "not finished" for the first poll(s).
 *
 * @example
 * const sim = await startNummervoorzieningSimulator({ certs: makeTestCertificates(dir) });
 */
export async function startNummervoorzieningSimulator(options: SimulatorOptions): Promise<Simulator> {
  const key = options.key ?? "overstap-simulator";
  const notReady = options.notReadyPolls ?? 1;
  const batches = new Map<string, Batch>();
  const substitutions = new Map<string, string>();
  const log: SimulatorLog = { calls: [], hpgns: new Set() };
  const chains = [{ id: SIM_CHAIN, name: "Onderwijs", description: "Test chain" }];
  const sectors = [{ id: SIM_SECTOR, name: "Primair Onderwijs", description: "Test sector PO" }];

  const hmac = (...parts: string[]) => createHmac("sha512", key).update(parts.join("\u0000")).digest("hex");
  const stampseudonymOf = (hpgn: string) =>
    STAMPSEUDONYM_PREFIX + hmac("sp", substitutions.get(hpgn) ?? hpgn);
  const eckIdOf = (sp: string, chainId = SIM_CHAIN, sectorId = SIM_SECTOR) =>
    ECKID_PREFIX + hmac("eck", chainId, sectorId, sp);

  const checkHpgn = (value: string): string => {
    if (!HPGN.test(value)) throw new Fault("Invalid HPGN: expected 64 lowercase hexadecimal characters");
    log.hpgns.add(value);
    return value;
  };
  const checkStampseudonym = (value: string): string => {
    if (!STAMPSEUDONYM.test(value)) throw new Fault("Invalid stampseudonym");
    return value;
  };
  const checkChainSector = (body: Record<string, unknown>): [string, string] => {
    const chainId = str(body.chainId);
    const sectorId = str(body.sectorId);
    if (!chains.some((c) => c.id === chainId)) throw new Fault("Unknown chain");
    if (!sectors.some((s) => s.id === sectorId)) throw new Fault("Unknown sector");
    return [chainId, sectorId];
  };
  const submit = (list: Record<string, unknown>[], make: (value: string) => string): Node[] => {
    if (list.length === 0) throw new Fault("The batch is empty");
    const batch: Batch = { polls: 0, delivered: false, success: [], failed: [] };
    for (const entry of list) {
      const index = Number(str(entry.index));
      try {
        batch.success.push([index, make(entry.value as string)]);
      } catch (err) {
        batch.failed.push([index, err instanceof Error ? err.message : String(err)]);
      }
    }
    const id = randomUUID();
    batches.set(id, batch);
    return [node("batchIdentifier", id)];
  };
  const registrations = (list: typeof chains, name: string) =>
    list.map((c) =>
      node(name, [
        node("id", c.id),
        node("name", c.name),
        node("description", c.description),
        node("lastEdited", "2017-03-01T00:00:00Z"),
      ]),
    );

  const handlers: Record<Operation, (body: Record<string, unknown>) => Node[]> = {
    ping: () => [
      node("available", "true"),
      node("applicationVersion", "simulator-1.0"),
      node("systemTime", new Date().toISOString()),
    ],
    retrieveStampseudonym: (body) => [node("stampseudonym", stampseudonymOf(checkHpgn(str(body.hpgn))))],
    retrieveEckId: (body) => {
      const [chainId, sectorId] = checkChainSector(body);
      return [node("eckId", eckIdOf(checkStampseudonym(str(body.stampseudonym)), chainId, sectorId))];
    },
    submitStampseudonymBatch: (body) =>
      submit(
        items(body.hpgnList).map((e) => ({ ...e, value: str(e.hPgn) })),
        (v) => stampseudonymOf(checkHpgn(v)),
      ),
    submitEckIdBatch: (body) => {
      const [chainId, sectorId] = checkChainSector(body);
      return submit(
        items(body.stampseudonymList).map((e) => ({ ...e, value: str(e.stampseudonym) })),
        (v) => eckIdOf(checkStampseudonym(v), chainId, sectorId),
      );
    },
    retrieveBatch: (body) => {
      const batch = batches.get(str(body.batchIdentifier));
      if (batch === undefined || batch.delivered) throw new Fault("Unknown batch identifier");
      if (batch.polls++ < notReady) throw new Fault("Batch is not finished yet", BATCH_NOT_READY);
      batch.delivered = true;
      return [
        ...batch.success.map(([i, v]) => node("success", [node("index", String(i)), node("value", v)])),
        ...batch.failed.map(([i, m]) => node("failed", [node("index", String(i)), node("errorMessage", m)])),
      ];
    },
    replaceStampseudonym: (body) => {
      const oldHpgn = checkHpgn(str(body.hpgnOld));
      const newHpgn = checkHpgn(str(body.hpgnNew));
      const effective = str(body.effectiveDate);
      if (effective !== "" && Number.isNaN(Date.parse(effective))) throw new Fault("Invalid effectiveDate");
      substitutions.set(newHpgn, substitutions.get(oldHpgn) ?? oldHpgn);
      return [node("stampseudonym", stampseudonymOf(newHpgn))];
    },
    retrieveChains: () => registrations(chains, "chain"),
    retrieveSectors: () => registrations(sectors, "sector"),
  };

  const byRequest = new Map<string, Operation>(
    (Object.keys(WSDL_OPERATIONS) as Operation[]).map((op) => [WSDL_OPERATIONS[op][0], op]),
  );

  function handle(xml: string, soapActionHeader: string | undefined): { status: number; body: string } {
    const request = readRequest(xml);
    const operation = request.element === undefined ? undefined : byRequest.get(request.element);
    log.calls.push({
      operation: operation ?? String(request.element),
      soapAction: soapActionHeader,
      from: request.from,
      oin: request.from?.match(FROM)?.[1],
    });
    if (operation === undefined) throw new Fault(`Unknown operation ${request.element}`);
    const action = actionOf(operation);
    if (soapActionHeader?.replace(/^"|"$/g, "") !== action)
      throw new Fault("SOAPAction does not match the operation");
    if (request.action !== action) throw new Fault("WS-Addressing Action is missing or wrong");
    if (request.messageId === undefined) throw new Fault("WS-Addressing MessageID is required");
    if (request.from === undefined) throw new Fault("WS-Addressing From is required");
    if (!FROM.test(request.from)) throw new Fault(`WS-Addressing From must be ${ANONYMOUS}?oin=<OIN>`);
    return {
      status: 200,
      body: responseEnvelope(operation, request.messageId, handlers[operation](request.body)),
    };
  }

  const server = https.createServer(
    {
      key: readFileSync(options.certs.serverKey),
      cert: readFileSync(options.expired ? options.certs.expiredServerCert : options.certs.serverCert),
      ca: readFileSync(options.certs.caCert),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        let answer: { status: number; body: string };
        try {
          if (req.method !== "POST") throw new Fault("POST only");
          answer = handle(
            Buffer.concat(chunks).toString("utf8"),
            req.headers.soapaction as string | undefined,
          );
        } catch (err) {
          const fault =
            err instanceof Fault ? err : new Fault(`Malformed request: ${(err as Error).message}`);
          answer = { status: 500, body: faultResponse(fault) };
        }
        res.writeHead(answer.status, { "Content-Type": "text/xml; charset=utf-8" });
        res.end(answer.body);
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}/eck/ws/201703`,
    log,
    count: (operation) => log.calls.filter((c) => c.operation === operation).length,
    stampseudonymOf,
    eckIdOf,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
