import { connect, type Socket } from "node:net";
import { connect as connectTls, type TLSSocket } from "node:tls";

/**
 * Makes the writes `socket` receives within one turn of the event loop leave as one write
 * (cork, then uncork on the next tick). ldapts writes every request as its own buffer; with
 * many requests outstanding on one connection that is one system call (and on loopback one
 * wake-up of the server) per request, the largest CPU cost of a bulk apply.
 */
export function coalesceWrites<S extends Socket>(socket: S): S {
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  socket.write = ((...args: unknown[]) => {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
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
