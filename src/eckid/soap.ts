import { randomUUID } from "node:crypto";
import { XMLParser } from "fast-xml-parser";
import { ECK_NS, REPEATED, SOAP_ENV_NS, WSA_ANONYMOUS, WSA_NS } from "./wsdl.js";

/** A child element: a name with text, child elements, or nothing. */
export type XmlContent = string | XmlElement[] | undefined;
export interface XmlElement {
  name: string;
  content: XmlContent;
}

/** Shorthand for an {@link XmlElement}. */
export function el(name: string, content?: XmlContent): XmlElement {
  return { name, content };
}

/** Escapes text for XML element content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function render(element: XmlElement, attrs = ""): string {
  const { name, content } = element;
  if (content === undefined) return `<${name}${attrs}/>`;
  const inner = typeof content === "string" ? escapeXml(content) : content.map((c) => render(c)).join("");
  return `<${name}${attrs}>${inner}</${name}>`;
}

export interface EnvelopeHeaders {
  action: string;
  to: string;
  /** wsa:From/wsa:Address; omitted when undefined. */
  from?: string;
  messageId?: string;
  relatesTo?: string;
}

/**
 * Builds a SOAP 1.1 envelope with WS-Addressing headers and a body element in the
 * Nummervoorziening namespace.
 *
 * @example
 * soapEnvelope({ action, to, from }, el("pingRequest", []));
 */
export function soapEnvelope(headers: EnvelopeHeaders, body: XmlElement): string {
  const wsa = (name: string, content: XmlContent) => render(el(`wsa:${name}`, content));
  const header = [
    wsa("Action", headers.action),
    wsa("MessageID", headers.messageId ?? `urn:uuid:${randomUUID()}`),
    wsa("To", headers.to),
    headers.from === undefined ? "" : wsa("From", [el("wsa:Address", headers.from)]),
    headers.relatesTo === undefined
      ? wsa("ReplyTo", [el("wsa:Address", WSA_ANONYMOUS)])
      : wsa("RelatesTo", headers.relatesTo),
  ].join("");
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<soap:Envelope xmlns:soap="${SOAP_ENV_NS}" xmlns:wsa="${WSA_NS}">` +
    `<soap:Header>${header}</soap:Header>` +
    `<soap:Body>${render(body, ` xmlns="${ECK_NS}"`)}</soap:Body></soap:Envelope>`
  );
}

/** A SOAP 1.1 fault. */
export interface SoapFault {
  faultcode: string;
  faultstring: string;
  faultactor?: string;
}

/** A parsed envelope: headers and body as plain objects, namespace prefixes removed. */
export interface ParsedEnvelope {
  header: Record<string, unknown>;
  body: Record<string, unknown>;
  fault?: SoapFault;
}

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  processEntities: true,
  isArray: (name) => REPEATED.has(name),
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Parses a SOAP 1.1 envelope. Throws a plain Error when the text is not a SOAP envelope;
 * callers translate it into their own error.
 */
export function parseEnvelope(xml: string): ParsedEnvelope {
  const doc: unknown = parser.parse(xml);
  const envelope = isRecord(doc) ? doc.Envelope : undefined;
  if (!isRecord(envelope) || !("Body" in envelope)) throw new Error("not a SOAP envelope");
  const header = isRecord(envelope.Header) ? envelope.Header : {};
  const body = isRecord(envelope.Body) ? envelope.Body : {};
  const fault = body.Fault;
  if (isRecord(fault)) {
    const text = (v: unknown) =>
      typeof v === "string" ? v : v === undefined ? undefined : JSON.stringify(v);
    const actor = text(fault.faultactor);
    return {
      header,
      body,
      fault: {
        faultcode: text(fault.faultcode) ?? "",
        faultstring: text(fault.faultstring) ?? "",
        ...(actor === undefined ? {} : { faultactor: actor }),
      },
    };
  }
  return { header, body };
}
