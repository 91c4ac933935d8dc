import { spawn } from "node:child_process";
import { mkdtemp, rm, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { openLdifTarget } from "../../../connectors/ldif/target.js";
import type { TargetEntry } from "../../../src/model/target-entry.js";
import { crashScenario, stateOf } from "./crash-ops.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const COUNT = 80;
const KILLS = 6;

/**
 * When the child is killed: `delayMs` after it is ready (`after` null), or `delayMs` after it
 * reported `after` flushed operations, so a fast target is still killed mid-run.
 */
interface Kill {
  after: number | null;
  delayMs: number;
}

/** Runs the child from operation `from`, kills it with SIGKILL as `kill` says; returns the last flushed count. */
function runChild(
  file: string,
  from: number,
  kill: Kill | null,
): Promise<{ flushed: number; finished: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join(here, "crash-child.ts"), file, String(from), String(COUNT)],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let flushed = from;
    let finished = false;
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const lines = out.split("\n");
      out = lines.pop() ?? "";
      for (const line of lines) {
        if (line === "done") finished = true;
        else if (line.startsWith("flushed ")) flushed = Number(line.slice(8));
        const due = line === "ready" ? kill?.after === null : kill?.after != null && flushed === kill.after;
        if (kill && due) setTimeout(() => child.kill("SIGKILL"), kill.delayMs);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (signal !== "SIGKILL" && code !== 0) reject(new Error(`child failed (${code}): ${err}`));
      else resolve({ flushed, finished });
    });
  });
}

let dir = "";
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("LDIF target durability", () => {
  it("loses no flushed operation and applies none partially when killed with SIGKILL at random points", {
    timeout: 120_000,
  }, async () => {
    dir = await mkdtemp(path.join(tmpdir(), "overstap-ldif-crash-"));
    const file = path.join(dir, "directory.ldif");
    const { states } = crashScenario(COUNT);
    let applied = 0;
    let kills = 0;
    let seed = 99;
    const rand = () => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    for (let round = 0; round <= KILLS && applied < COUNT; round++) {
      const after = applied + 1 + Math.floor(rand() * Math.max(1, (COUNT - 10 - applied) / 2));
      const kill: Kill | null =
        round === KILLS
          ? null
          : rand() < 0.25 || after >= COUNT - 10
            ? { after: null, delayMs: Math.floor(rand() * 5) }
            : { after, delayMs: Math.floor(rand() * 5) };
      const { flushed, finished } = await runChild(file, applied, kill);
      if (!finished) kills += 1;
      await unlink(`${file}.lock`).catch(() => undefined);
      const target = await openLdifTarget(
        { type: "ldif", file, personClasses: ["inetOrgPerson"], groupClasses: ["groupOfNames"] },
        { name: "t", baseDir: dir },
      );
      const entries: TargetEntry[] = [];
      for await (const e of target.read()) entries.push(e);
      await target.close();
      const state = stateOf(entries);
      const m = states.findIndex((s, i) => i >= flushed && s === state);
      expect(
        m,
        `round ${round}: state after restart matches no prefix at or beyond ${flushed} flushed operations`,
      ).toBeGreaterThanOrEqual(flushed);
      applied = m;
    }
    expect(applied).toBe(COUNT);
    expect(kills).toBeGreaterThanOrEqual(3);
  });
});
