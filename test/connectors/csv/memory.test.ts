import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const ROWS = 100_000;

interface Measured {
  counts: Record<string, number>;
  seconds: number;
  maxRssMiB: number;
}

async function measure(file: string): Promise<Measured> {
  const { stdout } = await run(
    process.execPath,
    ["--import", "tsx", path.join(here, "read-child.ts"), file],
    { maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout) as Measured;
}

/** A 100k-row export; `notes` characters of an unmapped column per row make the file wider, not longer. */
async function writeExport(file: string, notes: number): Promise<void> {
  const lines = ["Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;E-mail;BRIN;Groep;Opmerkingen"];
  const note = "x".repeat(notes);
  for (let i = 0; i < ROWS; i++)
    lines.push(`${100000 + i};Zoë ${i};van der;"Çelik; Nguyễn";z${i}@school.nl;11ZZ;${i % 40}A;"${note}"`);
  await writeFile(file, `${lines.join("\n")}\n`);
}

let dir = "";
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("CSV source memory", () => {
  it("reads 100k rows in memory that does not grow with the file's size", { timeout: 120_000 }, async () => {
    dir = await mkdtemp(path.join(tmpdir(), "overstap-csv-mem-"));
    const narrow = path.join(dir, "narrow.csv");
    const wide = path.join(dir, "wide.csv");
    await writeExport(narrow, 0);
    await writeExport(wide, 600);
    const a = await measure(narrow);
    const b = await measure(wide);
    await rm(wide);
    for (const m of [a, b]) {
      expect(m.counts).toEqual({ reset: 1, person: ROWS, checkpoint: ROWS / 5000 + 1, group: 40 });
    }
    console.info(
      `csv 100k rows: narrow (8 MB) ${Math.round(ROWS / a.seconds)} rows/s, peak RSS ${a.maxRssMiB.toFixed(0)} MiB; ` +
        `wide (67 MB) ${Math.round(ROWS / b.seconds)} rows/s, peak RSS ${b.maxRssMiB.toFixed(0)} MiB`,
    );
    expect(b.maxRssMiB - a.maxRssMiB).toBeLessThan(30);
  });
});
