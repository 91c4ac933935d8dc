/**
 * Prints a digest of every plan the demo, the examples and the bench worlds produce, so two
 * builds can be compared for byte-identical plans (issue 17: a refactoring changes no plan):
 *   node --import tsx scripts/plan-identity.ts [--sizes 10000,100000]
 * Run it in the old and the new checkout and compare the output. What differs between two runs
 * of the same build (the plan's id and time, dates derived from the time, run ids, the MAC,
 * the project binding, and a rollback's fingerprints of after-images) is blanked first; everything else is compared as written.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const sizesArg = process.argv.indexOf("--sizes");
const sizes = (sizesArg > 0 ? (process.argv[sizesArg + 1] ?? "") : "10000,100000")
  .split(",")
  .filter(Boolean)
  .map(Number);

/** The plan's text with what varies between runs of one build blanked, one line per JSON value. */
function normalized(file: string): string {
  const lines = readFileSync(file, "utf8").split("\n").filter(Boolean);
  // A rollback's fingerprints are of after-images, which hold the time of the run they undo.
  const rollback = lines[0]?.includes('"kind":"rollback"') === true;
  const out: string[] = [];
  for (const [i, line] of lines.entries()) {
    if (i === lines.length - 1) continue; // the trailer: a hash (and MAC) of what is before it
    let text = line;
    if (i === 0) {
      const header = JSON.parse(line) as Record<string, unknown>;
      for (const k of ["id", "createdAt", "project"]) if (k in header) header[k] = "*";
      text = JSON.stringify(header);
    }
    out.push(
      text
        .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, "<time>")
        .replace(/\b\d{14}Z\b/g, "<gtime>")
        .replace(/\b\d{8}T\d{6}\b/g, "<stamp>")
        .replace(/\b\d{8}-\d{6}-[0-9a-f]{4}\b/g, "<run>")
        .replace(rollback ? /"fingerprint":"[^"]*"/g : /^$/, '"fingerprint":"*"'),
    );
  }
  return out.join("\n");
}

const digest = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16);

/** Digests of every `*.plan` under `dir`, by name. */
function plansIn(dir: string, label: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".plan")) {
        const name = path.relative(dir, p).replace(/-\d{8}T\d{6}|-\d{8}-\d{6}-[0-9a-f]+/, "");
        out[`${label}/${name}`] = digest(normalized(p));
      }
    }
  };
  walk(dir);
  return out;
}

async function main(): Promise<void> {
  const result: Record<string, string> = {};
  const demo = mkdtempSync(path.join(tmpdir(), "overstap-identity-demo-"));
  await run(
    process.execPath,
    ["--import", "tsx", path.join(root, "src/cli/main.ts"), "demo", "--dir", demo],
    {
      cwd: root,
      maxBuffer: 1 << 24,
    },
  );
  Object.assign(result, plansIn(demo, "demo"));
  rmSync(demo, { recursive: true, force: true });

  const examples = mkdtempSync(path.join(tmpdir(), "overstap-identity-examples-"));
  await run(
    process.execPath,
    ["--import", "tsx", path.join(root, "scripts/plan-identity-examples.ts"), examples],
    {
      cwd: root,
      maxBuffer: 1 << 24,
    },
  );
  Object.assign(result, plansIn(examples, "examples"));
  rmSync(examples, { recursive: true, force: true });

  for (const n of sizes) {
    const { stderr } = await run(
      process.execPath,
      ["--import", "tsx", path.join(root, "scripts/bench/plan.ts"), String(n)],
      {
        cwd: root,
        env: { ...process.env, BENCH_KEEP: "1" },
        maxBuffer: 1 << 24,
        timeout: 3_600_000,
      },
    );
    const kept = /kept (\S+)/.exec(stderr)?.[1];
    if (!kept) throw new Error(`bench world ${n}: no folder kept`);
    Object.assign(result, plansIn(kept, `bench-${n}`));
    rmSync(kept, { recursive: true, force: true });
  }
  for (const [k, v] of Object.entries(result).sort(([a], [b]) => a.localeCompare(b)))
    console.log(`${v}  ${k}`);
}

await main();
