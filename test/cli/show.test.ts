/**
 * `overstap show PLAN` (issue 16, scope 4), through the real CLI on the demo's files: filters by
 * person (source id, login), school (an update's school read from the target entry), class,
 * kind and attribute; `--json`; a mistyped command or kind answers in two lines, not the whole
 * help; and `report` prints JSON with `--json` and writes to standard output with `--out -`.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoFiles } from "../../src/demo/data.js";
import type { Operation } from "../../src/model/operation.js";
import { anchorFor } from "../../src/plan/keys.js";
import { readPlan } from "../../src/plan/plan-file.js";
import { overstap } from "../support/cli.js";

let dir = "";
let config = "";
let plan = "";
let all: Operation[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "overstap-show-"));
  config = path.join(dir, "overstap.yaml");
  plan = path.join(dir, "bestuur.plan");
  for (const [name, text] of Object.entries(demoFiles((ref) => anchorFor(ref, "voorbeeld.nl"))))
    writeFileSync(path.join(dir, name), text);
  expect((await overstap(config, "--quiet", "pull")).code).toBe(0);
  expect((await overstap(config, "--quiet", "plan", "--stage", "bestuur", "--out", plan)).code).toBe(0);
  all = (await readPlan(plan)).operations;
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `overstap show PLAN --json ARGS…`, parsed. */
async function shown(...args: string[]): Promise<{ operations: Operation[]; review: { record: string }[] }> {
  const r = await overstap(config, "--json", "show", plan, ...args);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

describe("overstap show", () => {
  it("shows one person's operations by source id or login, with that person's review items", async () => {
    const byId = await shown("--person", "leerlingen:140100");
    expect(byId.operations.map((o) => o.ref)).toEqual(["leerlingen:140100"]);
    expect((await shown("--person", "a.vos@voorbeeld")).operations).toEqual(byId.operations);
    const bad = await shown("--person", "140166");
    expect(bad.operations).toEqual([]);
    expect(bad.review.map((r) => r.record)).toEqual([
      "leerlingen:140166",
      "leerlingen:140166",
      "leerlingen:140166",
    ]);
  });

  it("finds an update's school in the target entry, since the update carries only the change", async () => {
    const updates = all.filter((o) => o.kind === "update" && o.type === "person");
    expect(updates.length).toBeGreaterThan(0);
    const ops = (await shown("--school", "11ZZ", "--kind", "update")).operations;
    const other = (await shown("--school", "12YY", "--kind", "update")).operations;
    expect([...ops, ...other].map((o) => o.key).sort()).toEqual(updates.map((o) => o.key).sort());
    expect(ops.length).toBeGreaterThan(0);
  });

  it("shows a class's group and the persons it adds, and filters by kind and attribute", async () => {
    const ops = (await shown("--class", "groep 5A")).operations;
    const groups = ops.filter((o) => o.type === "group");
    expect(groups.length).toBeGreaterThan(0);
    const members = groups.flatMap((g) => [
      ...(g.attrs?.member ?? []),
      ...(g.changes ?? []).flatMap((c) => c.add ?? []),
    ]);
    expect(
      ops
        .filter((o) => o.type === "person")
        .map((o) => o.key)
        .sort(),
    ).toEqual(
      all
        .filter((o) => o.type === "person" && members.includes(o.key))
        .map((o) => o.key)
        .sort(),
    );
    const disables = (await shown("--kind", "disable")).operations;
    expect(disables.map((o) => o.kind)).toEqual(all.filter((o) => o.kind === "disable").map(() => "disable"));
    const mail = (await shown("--attribute", "mail", "--kind", "update")).operations;
    expect(mail.every((o) => o.changes?.some((c) => c.attr === "mail"))).toBe(true);
  });

  it("prints the diff of what matches and how much of the plan that is", async () => {
    const r = await overstap(config, "show", plan, "--kind", "disable");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("⏸ disable person");
    expect(r.stdout).toContain(`1 of ${all.length} operations match the filter.`);
    const none = await overstap(config, "show", plan, "--person", "nobody");
    expect(none.stdout).toContain(`No operation matches (the plan has ${all.length}).`);
  });

  it("answers a mistyped command or kind in two lines, not the whole help", async () => {
    const typo = await overstap(config, "shwo", plan);
    expect(typo.code).toBe(1);
    expect(typo.stderr.trim().split("\n")).toEqual([
      "error: unknown command 'shwo'",
      "(Did you mean show?)",
      "(overstap --help lists the commands; overstap COMMAND --help its options)",
    ]);
    const kind = await overstap(config, "show", plan, "--kind", "remove");
    expect(kind.code).toBe(1);
    expect(kind.stderr).toContain('"remove" is not an operation kind');
    expect(kind.stderr.split("\n").length).toBeLessThan(4);
  });
});

describe("report output (finding 6)", () => {
  it("prints JSON with --json, and writes to standard output with --out -", async () => {
    const json = await overstap(config, "--json", "report", plan);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ format: "overstap-report", kind: "plan" });
    const csv = await overstap(config, "report", plan, "--format", "csv", "--out", "-");
    expect(csv.code).toBe(0);
    expect(csv.stdout).toContain("leerlingen:140166");
    expect(csv.stdout).not.toContain("Wrote");
    const both = await overstap(config, "--json", "report", plan, "--format", "html");
    expect(both.code).toBe(1);
    expect(JSON.parse(both.stdout).error.code).toBe("USAGE");
  });
});
