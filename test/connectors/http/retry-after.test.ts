import { describe, expect, it } from "vitest";
import { retryAfterMs } from "../../../connectors/http/index.js";

describe("Retry-After", () => {
  const now = Date.parse("2026-10-21T07:28:00Z");

  it("reads delay-seconds", () => {
    expect(retryAfterMs("0", now)).toBe(0);
    expect(retryAfterMs("2", now)).toBe(2000);
    expect(retryAfterMs(" 120 ", now)).toBe(120_000);
  });

  it("reads an HTTP-date, counted from now; a date passed is no wait", () => {
    expect(retryAfterMs("Wed, 21 Oct 2026 07:28:05 GMT", now)).toBe(5000);
    expect(retryAfterMs("Wed, 21 Oct 2026 07:27:00 GMT", now)).toBe(0);
  });

  it("is undefined when absent or neither form", () => {
    for (const value of [undefined, null, "", "  ", "-1", "soon", "0x10", "1e3"]) {
      expect(retryAfterMs(value, now)).toBeUndefined();
    }
  });
});
