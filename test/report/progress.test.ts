import { describe, expect, it } from "vitest";
import { createProgress, duration } from "../../src/report/progress.js";
import { colourEnabled, createStyle } from "../../src/report/style.js";

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[mK]`, "g");

function fakeStream(isTTY: boolean, columns?: number) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns, write: (c: string) => chunks.push(c) } };
}

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("createProgress on a terminal", () => {
  it("redraws one line in place with count, rate and ETA, then prints the summary", () => {
    const { chunks, stream } = fakeStream(true, 120);
    const c = clock();
    const p = createProgress({ label: "apply", total: 1000, stream, now: c.now, env: { NO_COLOR: "1" } });
    c.advance(1000);
    p.tick(250);
    c.advance(50);
    p.tick(10);
    c.advance(100);
    p.tick(90);
    expect(chunks).toHaveLength(2);
    for (const ch of chunks) {
      expect(ch.startsWith("\r\u001b[2K")).toBe(true);
      expect(ch).not.toContain("\n");
    }
    expect(chunks[0]).toContain("250/1,000");
    expect(chunks[0]).toContain(" 25%");
    expect(chunks[0]).toContain("250/s");
    expect(chunks[0]).toContain("ETA 3s");
    expect(chunks[1]).toContain("350/1,000");
    p.done("Applied 1,000 operations.");
    expect(chunks.at(-1)).toBe("Applied 1,000 operations.\n");
    expect(chunks.join("")).not.toContain("\u001b[1m");
  });

  it("uses colour on a terminal unless NO_COLOR is set, and fits the terminal width", () => {
    const { chunks, stream } = fakeStream(true, 30);
    const p = createProgress({ label: "pull entra", total: 10, stream, env: {} });
    p.tick();
    expect(chunks[0]).toContain("\u001b[1m");
    const visible = (chunks[0] ?? "").replace(ANSI, "").replace("\r", "");
    expect(visible.length).toBeLessThanOrEqual(29);
  });

  it("keeps the progress line intact around a log line", () => {
    const { chunks, stream } = fakeStream(true);
    const p = createProgress({ label: "plan", stream, env: {} });
    p.tick();
    p.log("warning: something");
    expect(chunks.slice(1, 3)).toEqual(["\r\u001b[2K", "warning: something\n"]);
  });
});

describe("createProgress elsewhere", () => {
  it("writes plain lines at most once per interval", () => {
    const { chunks, stream } = fakeStream(false);
    const c = clock();
    const p = createProgress({ label: "eckid fetch", total: 200, stream, now: c.now, logInterval: 5000 });
    for (let i = 0; i < 100; i++) {
      c.advance(100);
      p.tick();
    }
    expect(chunks).toEqual([
      "eckid fetch: 50/200 (25.0%), 10/s, ETA 15s\n",
      "eckid fetch: 100/200 (50.0%), 10/s, ETA 10s\n",
    ]);
    p.done("done");
    expect(chunks.at(-1)).toBe("done\n");
    expect(chunks.join("")).not.toContain("\u001b");
  });

  it("prints nothing at all with quiet", () => {
    const { chunks, stream } = fakeStream(true);
    const p = createProgress({ label: "apply", total: 5, stream, quiet: true });
    p.tick(5);
    p.log("x");
    p.done("summary");
    expect(chunks).toEqual([]);
  });

  it("writes JSON lines with json", () => {
    const { chunks, stream } = fakeStream(true);
    const c = clock();
    const p = createProgress({ label: "pull", stream, json: true, now: c.now, logInterval: 1000 });
    c.advance(2000);
    p.update(40, 80);
    p.done("pulled 80");
    expect(chunks.map((l) => JSON.parse(l))).toEqual([
      { type: "progress", label: "pull", done: 40, total: 80, rate: 20, etaSeconds: 2 },
      { type: "done", label: "pull", done: 40, total: 80, elapsedSeconds: 2, summary: "pulled 80" },
    ]);
  });
});

describe("style", () => {
  it("honours NO_COLOR, TERM=dumb and non-terminals", () => {
    expect(colourEnabled({ isTTY: true, write: () => true }, {})).toBe(true);
    expect(colourEnabled({ isTTY: true, write: () => true }, { NO_COLOR: "1" })).toBe(false);
    expect(colourEnabled({ isTTY: true, write: () => true }, { NO_COLOR: "" })).toBe(true);
    expect(colourEnabled({ isTTY: true, write: () => true }, { TERM: "dumb" })).toBe(false);
    expect(colourEnabled({ isTTY: false, write: () => true }, {})).toBe(false);
    expect(createStyle({ isTTY: false, write: () => true }, {}).red("x")).toBe("x");
    expect(createStyle({ isTTY: true, write: () => true }, {}).red("x")).toBe("\u001b[31mx\u001b[39m");
  });
});

describe("duration", () => {
  it("formats seconds, minutes and hours", () => {
    expect([duration(42), duration(187), duration(3723)]).toEqual(["42s", "3:07", "1:02:03"]);
  });
});
