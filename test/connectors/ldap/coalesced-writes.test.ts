import { once } from "node:events";
import { createServer, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coalescedConnection } from "../../../connectors/ldap/coalesced-writes.js";

describe("coalesced writes", () => {
  const server = createServer();
  const received: Buffer[] = [];
  let port = 0;
  beforeAll(async () => {
    server.on("connection", (s: Socket) => s.on("data", (chunk: Buffer) => received.push(chunk)));
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("sends the first write of a tick at once and holds the others back until the next tick, in order", async () => {
    const socket = coalescedConnection(port, "127.0.0.1");
    await once(socket, "connect");
    const written: Promise<void>[] = [];
    const corked: number[] = [];
    for (const part of ["one ", "two ", "three"]) {
      written.push(
        new Promise((resolve, reject) => socket.write(part, (err) => (err ? reject(err) : resolve()))),
      );
      corked.push(socket.writableCorked);
    }
    expect(corked).toEqual([0, 1, 1]);
    await Promise.all(written);
    expect(socket.writableCorked).toBe(0);
    socket.end();
    await once(socket, "close");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(Buffer.concat(received).toString()).toBe("one two three");
  });
});
