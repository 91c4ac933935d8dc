import { XMLParser } from "fast-xml-parser";

/**
 * The Nummervoorziening's SOAP interface as the service side sees it, written from the public
 * EckID WSDL (version 0.7-20171229, in Kennisnet's reference implementations) and
 * `docs/DOMAIN.md`, independently of the client in `src/eckid`: if the client gets the
 * interface wrong, the simulator does not repeat the mistake.
 *
 * SOAP 1.1, document/literal; WS-Addressing required; every body element is in the target
 * namespace; the soapAction of operation `op` is the namespace, a slash and `op`.
 */
export const TARGET_NS = "http://ketenid.nl/eck/schemas/v1_0";
const ENVELOPE_NS = "http://schemas.xmlsoap.org/soap/envelope/";
const ADDRESSING_NS = "http://www.w3.org/2005/08/addressing";
/** WS-Addressing's anonymous address; a school's `From` is this with `?oin=<OIN>`. */
export const ANONYMOUS = `${ADDRESSING_NS}/anonymous`;

/** The input and output element of each operation of the `EckIDPort`. */
export const WSDL_OPERATIONS = {
  ping: ["pingRequest", "pingResponse"],
  retrieveStampseudonym: ["retrieveStampseudonymRequest", "retrieveStampseudonymResponse"],
  retrieveEckId: ["retrieveEckIdRequest", "retrieveEckIdResponse"],
  submitEckIdBatch: ["submitEckIdBatchRequest", "submitBatchResponse"],
  submitStampseudonymBatch: ["submitStampseudonymBatchRequest", "submitBatchResponse"],
  retrieveBatch: ["retrieveBatchRequest", "retrieveBatchResponse"],
  replaceStampseudonym: ["replaceStampseudonymRequest", "replaceStampseudonymResponse"],
  retrieveChains: ["retrieveChainsRequest", "retrieveChainsResponse"],
  retrieveSectors: ["retrieveSectorsRequest", "retrieveSectorsResponse"],
} as const;
export type Operation = keyof typeof WSDL_OPERATIONS;

/**
 * The fault actor by which the reference clients recognise a batch that is still being
 * processed (`retrieveBatch` asked too early).
 */
export const BATCH_NOT_READY = "NotFinishedException";

/** The soapAction (and wsa:Action) the WSDL binding gives an operation. */
export function actionOf(operation: Operation): string {
  return `${TARGET_NS}/${operation}`;
}

/** An element to write: text, child elements, or empty. */
export interface Node {
  tag: string;
  children: string | Node[];
}

/** Shorthand for a {@link Node}. */
export function node(tag: string, children: string | Node[] = []): Node {
  return { tag, children };
}

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

function write(n: Node, attributes = ""): string {
  const inner =
    typeof n.children === "string"
      ? n.children.replace(/[&<>"']/g, (c) => ENTITIES[c] as string)
      : n.children.map((c) => write(c)).join("");
  return `<${n.tag}${attributes}>${inner}</${n.tag}>`;
}

/** A response envelope: WS-Addressing headers answering `messageId`, the body in the target namespace. */
export function responseEnvelope(operation: Operation, messageId: string, body: Node[]): string {
  const headers = [
    node("a:Action", `${actionOf(operation)}Response`),
    node("a:To", ANONYMOUS),
    node("a:RelatesTo", messageId),
  ];
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<s:Envelope xmlns:s="${ENVELOPE_NS}" xmlns:a="${ADDRESSING_NS}">` +
    `<s:Header>${headers.map((h) => write(h)).join("")}</s:Header>` +
    `<s:Body>${write(node(WSDL_OPERATIONS[operation][1], body), ` xmlns="${TARGET_NS}"`)}</s:Body>` +
    `</s:Envelope>`
  );
}

/** A SOAP 1.1 fault as the service sends it. */
export interface FaultDetail {
  code: string;
  text: string;
  actor?: string;
}

/** A SOAP 1.1 fault envelope. */
export function faultResponse(fault: FaultDetail): string {
  const parts = [node("faultcode", fault.code), node("faultstring", fault.text)];
  if (fault.actor !== undefined) parts.push(node("faultactor", fault.actor));
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<s:Envelope xmlns:s="${ENVELOPE_NS}"><s:Body>${write(node("s:Fault", parts))}</s:Body></s:Envelope>`
  );
}

/** A request as the service reads it: its addressing headers and its one body element. */
export interface Request {
  action?: string;
  messageId?: string;
  from?: string;
  /** The local name of the body's element, e.g. `pingRequest`. */
  element?: string;
  body: Record<string, unknown>;
}

const reader = new XMLParser({ removeNSPrefix: true, ignoreAttributes: true, parseTagValue: false });

const record = (v: unknown): Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Reads a request envelope; throws when the text is not a SOAP envelope with a body. */
export function readRequest(xml: string): Request {
  const envelope = record(record(reader.parse(xml)).Envelope);
  if (!("Body" in envelope)) throw new Error("not a SOAP envelope");
  const header = record(envelope.Header);
  const body = record(envelope.Body);
  const [element] = Object.keys(body);
  return {
    action: text(header.Action),
    messageId: text(header.MessageID),
    from: text(record(header.From).Address),
    element,
    body: element === undefined ? {} : record(body[element]),
  };
}
