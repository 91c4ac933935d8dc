import { connect, type Socket } from "node:net";
import { connect as connectTls, type TLSSocket } from "node:tls";

/**
 * Makes the writes `socket` receives within one turn of the event loop leave in two system
 * calls instead of one each: the first is sent at once (a lone request, such as the next page
 * of a search, is not delayed), the ones after it are corked and sent together on the next
 * tick. ldapts writes every request as its own buffer; with many requests outstanding on one
 * connection that was one system call (and on loopback one wake-up of the server) per request.
 */
export function coalesceWrites<S extends Socket>(socket: S): S {
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  let inTick = false;
  let corked = false;
  const endTick = () => {
    inTick = false;
    if (corked) {
      corked = false;
      socket.uncork();
    }
  };
  socket.write = ((...args: unknown[]) => {
    if (!inTick) {
      inTick = true;
      process.nextTick(endTick);
    } else if (!corked) {
      corked = true;
      socket.cork();
    }
    return write(...args);
  }) as S["write"];
  return socket;
}

/** ldapts' `createConnection` option: `net.connect` with coalesced writes. */
export const coalescedConnection = ((...args: unknown[]) =>
  coalesceWrites((connect as (...a: unknown[]) => Socket)(...args))) as typeof connect;

/** ldapts' `createSecureConnection` option (LDAPS and StartTLS): `tls.connect` with coalesced writes. */
export const coalescedSecureConnection = ((...args: unknown[]) =>
  coalesceWrites((connectTls as (...a: unknown[]) => TLSSocket)(...args))) as typeof connectTls;
