import {
  type Client,
  MessageResponseStatus,
  ModifyDNRequest,
  type ModifyDNResponse,
  StatusCodeParser,
} from "ldapts";
import { formatDn, normalizeDn, parseDn, type RdnPart } from "../../src/model/dn.js";

const HEX_ESCAPED = new Set([",", "+", '"', "\\", "<", ">", ";", "=", "\0"]);

function hexEscape(value: string): string {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    const edge = (ch === " " && (i === 0 || i === value.length - 1)) || (ch === "#" && i === 0);
    out +=
      HEX_ESCAPED.has(ch) || edge ? `\\${ch.charCodeAt(0).toString(16).padStart(2, "0").toUpperCase()}` : ch;
  }
  return out;
}

function formatRdn(rdn: RdnPart[]): string {
  return rdn.map((p) => `${p.type}=${hexEscape(p.value)}`).join("+");
}

/**
 * The `newDN` argument for ldapts' `modifyDN`: the new RDN with every special character
 * hex-escaped (ldapts splits RDN and new superior at the first comma not preceded by a
 * backslash, which a value ending in `\` would defeat), followed by the new parent only when
 * the entry moves.
 * @example modifyDnTarget("uid=a,ou=people,dc=x", "uid=a,ou=disabled,dc=x") // "uid=a,ou=disabled,dc=x"
 */
export function modifyDnTarget(newDn: string, moves: boolean): string {
  const rdns = parseDn(newDn);
  const rdn = formatRdn(rdns[0] ?? []);
  if (!moves) return rdn;
  return [rdn, ...rdns.slice(1).map(formatRdn)].join(",");
}

/** The ldapts internals `moveEntry` uses to send a ModifyDN request with deleteOldRdn false. */
interface RequestSender {
  _nextMessageId(): number;
  _send(request: ModifyDNRequest): Promise<ModifyDNResponse | undefined>;
}

function sender(client: Client): RequestSender | null {
  const raw = client as unknown as Partial<RequestSender>;
  return typeof raw._send === "function" && typeof raw._nextMessageId === "function"
    ? (raw as RequestSender)
    : null;
}

/**
 * Renames or moves `dn` to `newDn` keeping the old RDN values in the entry (deleteOldRdn
 * false): a move then leaves the attributes untouched, where deleteOldRdn would delete and
 * re-add the RDN attribute and OpenLDAP would list it last (an export after a rollback would
 * differ in attribute order). The caller removes old RDN values that must go. ldapts'
 * `modifyDN` always sends deleteOldRdn true, so the request is built and sent here through its
 * client internals; should a later ldapts lack them, this falls back to `modifyDN`.
 * @example await moveEntry(client, "uid=a,ou=x,dc=nl", "uid=a,ou=y,dc=nl")
 */
export async function moveEntry(client: Client, dn: string, newDn: string): Promise<void> {
  const rdns = parseDn(newDn);
  const moves = normalizeDn(formatDn(parseDn(dn).slice(1))) !== normalizeDn(formatDn(rdns.slice(1)));
  const raw = sender(client);
  if (raw === null) {
    await client.modifyDN(dn, modifyDnTarget(newDn, moves));
    return;
  }
  const request = new ModifyDNRequest({
    messageId: raw._nextMessageId(),
    dn,
    deleteOldRdn: false,
    newRdn: formatRdn(rdns[0] ?? []),
    ...(moves ? { newSuperior: rdns.slice(1).map(formatRdn).join(",") } : {}),
  });
  const result = await raw._send(request);
  if (result?.status !== MessageResponseStatus.Success) throw StatusCodeParser.parse(result);
}
