import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRetryableStatus, sendRequest } from "../../../connectors/http/index.js";

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/slow") return void setTimeout(() => res.end("late"), 2000);
    res.writeHead(req.url === "/busy" ? 429 : 200, { "retry-after": "3" });
    res.end(`${req.method} ${req.url}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("sending one request", () => {
  it("gives status, headers and body text", async () => {
    const res = await sendRequest(fetch, `${base}/busy`, { method: "GET" }, { timeoutMs: 1000 });
    expect(res).toMatchObject({ status: 429, text: "GET /busy" });
    expect("headers" in res && res.headers.get("retry-after")).toBe("3");
  });

  it("returns a timeout as a failure to retry", async () => {
    const t0 = performance.now();
    const res = await sendRequest(fetch, `${base}/slow`, {}, { timeoutMs: 100 });
    expect(performance.now() - t0).toBeLessThan(1500);
    expect("error" in res && (res.error as Error).name).toBe("TimeoutError");
  });

  it("returns a refused connection as a failure", async () => {
    const res = await sendRequest(fetch, "http://127.0.0.1:1/", {}, { timeoutMs: 1000 });
    expect("error" in res).toBe(true);
  });

  it("throws when the caller's signal aborts, instead of returning a failure", async () => {
    const controller = new AbortController();
    const sent = sendRequest(fetch, `${base}/slow`, {}, { timeoutMs: 5000, signal: controller.signal });
    setTimeout(() => controller.abort(new Error("cancelled")), 50);
    await expect(sent).rejects.toThrow("cancelled");
  });

  it("retries throttling and transient server errors only", () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([200, 400, 401, 403, 404, 410, 501].some(isRetryableStatus)).toBe(false);
  });
});
