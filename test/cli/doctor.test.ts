/**
 * Finding 1 of issue 16: `doctor` was green for set-ups that fail one command later. Each case
 * here is a set-up that `pull` or `plan` refuses; doctor must fail it, exit 1, and write
 * nothing (no state store, no LDIF file, lock or change log).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { diagnose, type Finding } from "../../src/app/doctor.js";
import { openProject } from "../../src/app/project.js";
import { commandLine, DEFAULT_CONFIG } from "../../src/cli/hint.js";
import { demoFiles } from "../../src/demo/data.js";
import { anchorFor } from "../../src/plan/keys.js";
import { overstap } from "../support/cli.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The demo board on disk, its files changed by `edit` (name → new text, or null to remove). */
function project(
  edit: (files: Record<string, string>) => Record<string, string | null> = () => ({}),
): string {
  const dir = mkdtempSync(path.join(tmpdir(), "overstap-doctor-"));
  dirs.push(dir);
  const files: Record<string, string> = { ...demoFiles((ref) => anchorFor(ref, "voorbeeld.nl")) };
  for (const [name, text] of Object.entries(edit(files))) {
    if (text === null) delete files[name];
    else files[name] = text;
  }
  for (const [name, text] of Object.entries(files))
    writeFileSync(path.join(dir, name), text, { mode: 0o600 });
  return dir;
}

async function findings(dir: string): Promise<Finding[]> {
  const p = await openProject(path.join(dir, "overstap.yaml"), { inspect: true });
  try {
    return await diagnose(p, (...args) => commandLine({ config: DEFAULT_CONFIG }, ...args));
  } finally {
    await p.close();
  }
}

const failed = (fs: Finding[]) => fs.filter((f) => f.status === "failed");
const config = (files: Record<string, string>) => files["overstap.yaml"] as string;

describe("overstap doctor", () => {
  it("passes the demo board, says what it did not check, and writes nothing", async () => {
    const dir = project();
    const before = readdirSync(dir).sort();
    const ldif = readFileSync(path.join(dir, "directory.ldif"));
    const result = await overstap(path.join(dir, "overstap.yaml"), "doctor");
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(
      "✓ source leerlingen: leerlingen.csv: the first 76 record(s) read: 68 person(s), 8 group(s), 0 unreadable",
    );
    expect(result.stdout).toContain("- target: not checked: schema: an LDIF file has none");
    expect(result.stdout).toMatch(/Every check passed; \d+ not checked\./);
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(readFileSync(path.join(dir, "directory.ldif")).equals(ldif)).toBe(true);
  });

  it("fails a source file that does not exist (exit 1)", async () => {
    const dir = project(() => ({ "leerlingen.csv": null }));
    const result = await overstap(path.join(dir, "overstap.yaml"), "doctor");
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /✗ source leerlingen: \[SOURCE_UNREACHABLE\] sources\.leerlingen\.file: cannot read/,
    );
    expect(result.stdout).toContain("1 check(s) failed");
  });

  it("fails a misspelled column, naming the key and the header", async () => {
    const dir = project((f) => ({
      "overstap.yaml": config(f).replace("surname: Achternaam", "surname: Achternam"),
    }));
    const [bad, ...more] = failed(await findings(dir));
    expect(more).toEqual([]);
    expect(bad?.area).toBe("source leerlingen");
    expect(bad?.message).toContain(
      'sources.leerlingen.columns.surname: column "Achternam" is not in the header',
    );
    expect(bad?.hint).toContain('"Achternaam"');
  });

  it("fails the wrong delimiter and says which one the file has", async () => {
    const dir = project((f) => ({
      "overstap.yaml": config(f).replace(
        /file: leerlingen\.csv\n {4}delimiter: ";"/,
        'file: leerlingen.csv\n    delimiter: ","',
      ),
    }));
    const [bad] = failed(await findings(dir));
    expect(bad?.area).toBe("source leerlingen");
    expect(bad?.hint).toContain('the file looks ";"-separated; set sources.leerlingen.delimiter: ";"');
  });

  it("fails a JSON source none of whose first records has the shape of a person or group", async () => {
    const dir = project((f) => ({
      "overstap.yaml": config(f).replace(
        "  personeel:\n    type: csv",
        "  extra: { type: json, file: extra.jsonl }\n  personeel:\n    type: csv",
      ),
      "extra.jsonl": `${JSON.stringify({ kind: "persoon", id: "x1" })}\n${JSON.stringify({ id: "x2" })}\n`,
    }));
    const [bad] = failed(await findings(dir));
    expect(bad?.area).toBe("source extra");
    expect(bad?.message).toBe(
      "extra.jsonl: the first 2 record(s) read: 0 person(s), 0 group(s), 2 unreadable; none readable",
    );
    expect(bad?.hint).toMatch(/^The first: extra\.jsonl:1 /);
  });

  it("fails a mistyped LDIF target path and does not create it", async () => {
    const dir = project((f) => ({
      "overstap.yaml": config(f).replace("file: directory.ldif", "file: direcotry.ldif"),
    }));
    const [bad] = failed(await findings(dir));
    expect(bad?.area).toBe("target");
    expect(bad?.message).toMatch(/^target\.file: .*direcotry\.ldif does not exist$/);
    expect(existsSync(path.join(dir, "direcotry.ldif"))).toBe(false);
    expect(readdirSync(dir).filter((n) => n.startsWith("direcotry"))).toEqual([]);
  });
});
