/**
 * The Nummervoorziening's message shapes, in one place. Names follow the public EckID WSDL
 * (version 0.7-20171229, in Kennisnet's reference clients on GitHub); the client and its tests
 * take them from here. The simulator writes them out on its own, from the WSDL.
 */
export const ECK_NS = "http://ketenid.nl/eck/schemas/v1_0";
export const SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/";
export const WSA_NS = "http://www.w3.org/2005/08/addressing";
export const WSA_ANONYMOUS = `${WSA_NS}/anonymous`;

/** The request and response element of each operation. */
export const OPERATIONS = {
  ping: { request: "pingRequest", response: "pingResponse" },
  retrieveStampseudonym: {
    request: "retrieveStampseudonymRequest",
    response: "retrieveStampseudonymResponse",
  },
  retrieveEckId: { request: "retrieveEckIdRequest", response: "retrieveEckIdResponse" },
  submitStampseudonymBatch: { request: "submitStampseudonymBatchRequest", response: "submitBatchResponse" },
  submitEckIdBatch: { request: "submitEckIdBatchRequest", response: "submitBatchResponse" },
  retrieveBatch: { request: "retrieveBatchRequest", response: "retrieveBatchResponse" },
  replaceStampseudonym: { request: "replaceStampseudonymRequest", response: "replaceStampseudonymResponse" },
  retrieveChains: { request: "retrieveChainsRequest", response: "retrieveChainsResponse" },
  retrieveSectors: { request: "retrieveSectorsRequest", response: "retrieveSectorsResponse" },
} as const;
export type OperationName = keyof typeof OPERATIONS;

/** Field names inside the messages. */
export const FIELDS = {
  hpgn: "hpgn",
  hpgnOld: "hpgnOld",
  hpgnNew: "hpgnNew",
  effectiveDate: "effectiveDate",
  stampseudonym: "stampseudonym",
  eckId: "eckId",
  chainId: "chainId",
  sectorId: "sectorId",
  hpgnList: "hpgnList",
  listedHpgn: "hPgn",
  stampseudonymList: "stampseudonymList",
  index: "index",
  batchIdentifier: "batchIdentifier",
  success: "success",
  failed: "failed",
  value: "value",
  errorMessage: "errorMessage",
  chain: "chain",
  sector: "sector",
  available: "available",
  applicationVersion: "applicationVersion",
  systemTime: "systemTime",
} as const;

/** Elements that may repeat, so the parser always gives them as lists. */
export const REPEATED = new Set<string>([
  FIELDS.hpgnList,
  FIELDS.stampseudonymList,
  FIELDS.success,
  FIELDS.failed,
  FIELDS.chain,
  FIELDS.sector,
]);

/** The fault actor the service sets while a batch is still being processed. */
export const NOT_FINISHED_ACTOR = "NotFinishedException";

/** The SOAPAction (HTTP header) and wsa:Action of an operation. */
export function soapAction(operation: OperationName): string {
  return `${ECK_NS}/${operation}`;
}

/** The wsa:From address that carries the school's OIN. */
export function fromAddress(oin: string): string {
  return `${WSA_ANONYMOUS}?oin=${oin}`;
}
