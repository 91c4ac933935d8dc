import { setTimeout as sleep } from "node:timers/promises";
import { OverstapError } from "../errors.js";
import { type BatchPoll, BatchPollSchema, loadTlsMaterial, type NummervoorzieningConfig } from "./config.js";
import { el, parseEnvelope, soapEnvelope, type XmlElement } from "./soap.js";
import { httpsTransport, type SoapTransport } from "./transport.js";
import {
  FIELDS,
  fromAddress,
  NOT_FINISHED_ACTOR,
  OPERATIONS,
  type OperationName,
  soapAction,
} from "./wsdl.js";

/** Answer of `ping`. */
export interface PingResult {
  available: boolean;
  applicationVersion: string;
  systemTime: string;
}

/** A chain or sector as `retrieveChains` / `retrieveSectors` list them. */
export interface Registration {
  id: string;
  name: string;
  description: string;
  lastEdited: string;
}

/** The outcome of a batch, by the index each value had in the submitted list. */
export interface BatchResult {
  success: Map<number, string>;
  failed: Map<number, string>;
}

/** Chain and sector of an ECK iD request; the client's configured ones by default. */
export interface ChainSector {
  chainId: string;
  sectorId: string;
}

export interface NummervoorzieningClientOptions {
  endpoint: string;
  /** The school's OIN, sent as wsa:From. */
  oin: string;
  chainId: string;
  sectorId: string;
  transport: SoapTransport;
  poll?: Partial<BatchPoll>;
  close?: () => void;
}

/** The Nummervoorziening's operations. Every method throws ECKID_SERVICE or ECKID_TLS on failure. */
export interface NummervoorzieningClient {
  ping(): Promise<PingResult>;
  retrieveStampseudonym(hpgn: string): Promise<string>;
  retrieveEckId(stampseudonym: string, ids?: ChainSector): Promise<string>;
  /** Submits HPGNs (index = position in the list) and returns the batch identifier. */
  submitStampseudonymBatch(hpgns: readonly string[]): Promise<string>;
  /** Submits Stampseudoniemen (index = position in the list) and returns the batch identifier. */
  submitEckIdBatch(stampseudonyms: readonly string[], ids?: ChainSector): Promise<string>;
  /** Polls with backoff until the batch is processed, then returns its success and failed lists. */
  retrieveBatch(batchIdentifier: string, signal?: AbortSignal): Promise<BatchResult>;
  replaceStampseudonym(hpgnOld: string, hpgnNew: string, effectiveDate?: Date): Promise<string>;
  retrieveChains(): Promise<Registration[]>;
  retrieveSectors(): Promise<Registration[]>;
  close(): void;
}

const HEX_RUN = /[0-9a-f]{32,}/gi;

/** Service texts may echo a submitted value; hashes and pseudonyms never reach our errors. */
function redact(text: string): string {
  return text.replace(HEX_RUN, "[redacted]");
}

function text(value: unknown, operation: string, field: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new OverstapError("ECKID_SERVICE", `Nummervoorziening ${operation}: the answer has no ${field}`, {
    hint: "The service answered in an unexpected shape; check eckid.endpoint points at the ECK iD service.",
  });
}

function list(value: unknown): Record<string, unknown>[] {
  if (value === undefined || value === "") return [];
  const items = Array.isArray(value) ? value : [value];
  return items.filter((v): v is Record<string, unknown> => typeof v === "object" && v !== null);
}

function indexed(values: readonly string[], wrapper: string, field: string): XmlElement[] {
  return values.map((value, index) => el(wrapper, [el(FIELDS.index, String(index)), el(field, value)]));
}

/** Sends one operation in a SOAP envelope and returns its answer's body; faults and odd answers are ECKID_SERVICE errors. */
async function callService(
  options: NummervoorzieningClientOptions,
  operation: OperationName,
  content: XmlElement[],
): Promise<Record<string, unknown>> {
  const { request, response } = OPERATIONS[operation];
  const action = soapAction(operation);
  const envelope = soapEnvelope(
    { action, to: options.endpoint, from: fromAddress(options.oin) },
    el(request, content),
  );
  const answer = await options.transport({ url: options.endpoint, action, body: envelope });
  let parsed: ReturnType<typeof parseEnvelope>;
  try {
    parsed = parseEnvelope(answer.body);
  } catch (err) {
    throw new OverstapError(
      "ECKID_SERVICE",
      `Nummervoorziening ${operation}: HTTP ${answer.status} without a SOAP answer`,
      { cause: err, hint: "Check eckid.endpoint: it must be the ECK iD SOAP endpoint." },
    );
  }
  if (parsed.fault) {
    const { faultcode, faultstring, faultactor } = parsed.fault;
    throw new OverstapError("ECKID_SERVICE", `Nummervoorziening ${operation}: ${redact(faultstring)}`, {
      details: { operation, faultcode, faultactor },
      hint: "The service refused the request; check eckid.chainId, eckid.sectorId and the OIN registration.",
    });
  }
  const body = parsed.body[response];
  if (answer.status !== 200 || typeof body !== "object" || body === null) {
    throw new OverstapError(
      "ECKID_SERVICE",
      `Nummervoorziening ${operation}: HTTP ${answer.status}, no ${response}`,
      {
        hint: "Check eckid.endpoint: it must be the ECK iD SOAP endpoint.",
      },
    );
  }
  return body as Record<string, unknown>;
}

/** One look at a batch: its results, or "not-finished" while the service is still processing it. */
async function retrieveBatchOnceWith(
  call: (operation: OperationName, content: XmlElement[]) => Promise<Record<string, unknown>>,
  batchIdentifier: string,
): Promise<BatchResult | "not-finished"> {
  let body: Record<string, unknown>;
  try {
    body = await call("retrieveBatch", [el(FIELDS.batchIdentifier, batchIdentifier)]);
  } catch (err) {
    if (err instanceof OverstapError && err.details.faultactor === NOT_FINISHED_ACTOR) return "not-finished";
    throw err;
  }
  const result: BatchResult = { success: new Map(), failed: new Map() };
  for (const s of list(body[FIELDS.success])) {
    result.success.set(Number(s[FIELDS.index]), text(s[FIELDS.value], "retrieveBatch", "success value"));
  }
  for (const f of list(body[FIELDS.failed])) {
    result.failed.set(
      Number(f[FIELDS.index]),
      redact(text(f[FIELDS.errorMessage], "retrieveBatch", "errorMessage")),
    );
  }
  return result;
}

/**
 * Creates a client on a transport (mutual TLS by default, see {@link connectNummervoorziening}).
 *
 * @example
 * const client = createNummervoorzieningClient({ endpoint, oin, chainId, sectorId, transport });
 * const sp = await client.retrieveStampseudonym(hpgn);
 */
export function createNummervoorzieningClient(
  options: NummervoorzieningClientOptions,
): NummervoorzieningClient {
  const poll = BatchPollSchema.parse(options.poll ?? {});
  const defaults: ChainSector = { chainId: options.chainId, sectorId: options.sectorId };

  const call = (operation: OperationName, content: XmlElement[]) => callService(options, operation, content);
  const retrieveBatchOnce = (batchIdentifier: string) => retrieveBatchOnceWith(call, batchIdentifier);

  const registrations = (items: unknown, operation: string): Registration[] =>
    list(items).map((c) => ({
      id: text(c.id, operation, "id"),
      name: text(c.name, operation, "name"),
      description: text(c.description ?? "", operation, "description"),
      lastEdited: text(c.lastEdited ?? "", operation, "lastEdited"),
    }));

  return {
    async ping() {
      const body = await call("ping", []);
      return {
        available: text(body[FIELDS.available], "ping", FIELDS.available) === "true",
        applicationVersion: text(body[FIELDS.applicationVersion], "ping", FIELDS.applicationVersion),
        systemTime: text(body[FIELDS.systemTime], "ping", FIELDS.systemTime),
      };
    },
    async retrieveStampseudonym(hpgn) {
      const body = await call("retrieveStampseudonym", [el(FIELDS.hpgn, hpgn)]);
      return text(body[FIELDS.stampseudonym], "retrieveStampseudonym", FIELDS.stampseudonym);
    },
    async retrieveEckId(stampseudonym, ids = defaults) {
      const body = await call("retrieveEckId", [
        el(FIELDS.stampseudonym, stampseudonym),
        el(FIELDS.chainId, ids.chainId),
        el(FIELDS.sectorId, ids.sectorId),
      ]);
      return text(body[FIELDS.eckId], "retrieveEckId", FIELDS.eckId);
    },
    async submitStampseudonymBatch(hpgns) {
      const body = await call("submitStampseudonymBatch", indexed(hpgns, FIELDS.hpgnList, FIELDS.listedHpgn));
      return text(body[FIELDS.batchIdentifier], "submitStampseudonymBatch", FIELDS.batchIdentifier);
    },
    async submitEckIdBatch(stampseudonyms, ids = defaults) {
      const body = await call("submitEckIdBatch", [
        ...indexed(stampseudonyms, FIELDS.stampseudonymList, FIELDS.stampseudonym),
        el(FIELDS.chainId, ids.chainId),
        el(FIELDS.sectorId, ids.sectorId),
      ]);
      return text(body[FIELDS.batchIdentifier], "submitEckIdBatch", FIELDS.batchIdentifier);
    },
    async retrieveBatch(batchIdentifier, signal) {
      const started = Date.now();
      let delay = poll.initialDelayMs;
      for (;;) {
        await sleep(delay, undefined, { signal });
        const result = await retrieveBatchOnce(batchIdentifier);
        if (result !== "not-finished") return result;
        if (Date.now() - started >= poll.timeoutMs) {
          throw new OverstapError(
            "ECKID_SERVICE",
            `Nummervoorziening retrieveBatch: batch ${batchIdentifier} not processed after ${Math.round((Date.now() - started) / 1000)} s`,
            { hint: "The service is busy; run again later (results fetched so far are cached)." },
          );
        }
        delay = Math.min(Math.max(1, delay) * poll.factor, poll.maxDelayMs);
      }
    },
    async replaceStampseudonym(hpgnOld, hpgnNew, effectiveDate) {
      const content = [el(FIELDS.hpgnOld, hpgnOld), el(FIELDS.hpgnNew, hpgnNew)];
      if (effectiveDate !== undefined) content.push(el(FIELDS.effectiveDate, effectiveDate.toISOString()));
      const body = await call("replaceStampseudonym", content);
      return text(body[FIELDS.stampseudonym], "replaceStampseudonym", FIELDS.stampseudonym);
    },
    async retrieveChains() {
      return registrations((await call("retrieveChains", []))[FIELDS.chain], "retrieveChains");
    },
    async retrieveSectors() {
      return registrations((await call("retrieveSectors", []))[FIELDS.sector], "retrieveSectors");
    },
    close() {
      options.close?.();
    },
  };
}

/**
 * Connects to the Nummervoorziening with the configured endpoint, OIN, chain, sector and
 * mutual-TLS files (relative to `baseDir`).
 *
 * @example
 * const client = await connectNummervoorziening(config.eckid, path.dirname(configFile));
 * console.log(await client.ping());
 */
export async function connectNummervoorziening(
  config: NummervoorzieningConfig,
  baseDir: string,
): Promise<NummervoorzieningClient> {
  const transport = httpsTransport(await loadTlsMaterial(config.tls, baseDir), config.timeoutMs);
  return createNummervoorzieningClient({
    endpoint: config.endpoint,
    oin: config.oin,
    chainId: config.chainId,
    sectorId: config.sectorId,
    poll: config.poll,
    transport: transport.send,
    close: transport.close,
  });
}
