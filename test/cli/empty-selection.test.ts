/**
 * Finding 4 of issue 16: a stage naming a group that does not exist selected no one, and `plan`
 * said "No changes", exit 0. Through the real CLI on the demo's files: a mistyped group, a
 * mistyped stage, and a stage whose selection matches no one each exit 1 with the cause and
 * what to do; the demo's pilot plans without a warning, since its left-out records are outside it.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoFiles } from "../../src/demo/data.js";
import { anchorFor } from "../../src/plan/keys.js";
import { overstap } from "../support/cli.js";

let dir = "";
let config = "";

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "overstap-empty-"));
  config = path.join(dir, "overstap.yaml");
  const files = demoFiles((ref) => anchorFor(ref, "voorbeeld.nl"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  writeFileSync(
    config,
    files["overstap.yaml"].replace(
      "stages:\n",
      [
        "stages:",
        "  - { name: typo, select: { group: ICT-Pilot } }",
        "  - { name: nobody, select: { brin: 99XX } }",
        '  - { name: broken, select: { ids: ["140166", "140167"] } }',
        '  - { name: few, select: { ids: ["140100", "140166", "140167"] } }',
        "",
      ].join("\n"),
    ),
  );
  writeFileSync(path.join(dir, "demo.yaml"), files["overstap.yaml"]);
  expect((await overstap(config, "--quiet", "pull")).code).toBe(0);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("plan refuses a selection of no one", () => {
  it("names a group no source has, with the group it probably means", async () => {
    const r = await overstap(config, "plan", "--stage", "typo", "--out", path.join(dir, "typo.plan"));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'Error [STAGE_SELECTION]: stage "typo" selects group "ICT-Pilot", which no source has',
    );
    expect(r.stderr).toContain('Did you mean "ICT-pilot"?');
    expect(r.stdout).not.toContain("No changes");
  });

  it("names a stage that does not exist, with the stage it probably means", async () => {
    const r = await overstap(config, "plan", "--stage", "pilto");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error [STAGE_UNKNOWN]: there is no stage "pilto"');
    expect(r.stderr).toContain('Did you mean "pilot"?');
  });

  it("refuses a stage whose selection matches no one, keeping the plan for review", async () => {
    const out = path.join(dir, "nobody.plan");
    const r = await overstap(config, "plan", "--stage", "nobody", "--out", out);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'Error [STAGE_EMPTY]: stage "nobody" selects no one: no person in the snapshot matches its selection',
    );
    expect(r.stderr).toContain(`The plan is saved to ${out} for review only.`);
  });

  it("refuses a stage whose every person is left out with errors, pointing at the review list", async () => {
    const out = path.join(dir, "broken.plan");
    const r = await overstap(config, "plan", "--stage", "broken", "--out", out);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'Error [STAGE_EMPTY]: stage "broken" selects no one: no person that maps without errors matches its selection (2 records are left out with errors)',
    );
    expect(r.stderr).toContain(`overstap report ${out} --format csv`);
  });

  it("warns when more of the stage is left out than report.maxLeftOutPercent allows", async () => {
    const r = await overstap(config, "plan", "--stage", "few", "--out", path.join(dir, "few.plan"));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      "Warning: 2 of 3 persons (66.7%) are left out with errors, more than report.maxLeftOutPercent (5%) allows",
    );
    expect(r.stdout).toContain(
      "Review: 2 records left out, 0 with warnings, and 2 records outside this stage",
    );
  });

  it("plans the pilot, whose left-out records are all outside it, without a warning", async () => {
    // The demo's own stages: the stages above are cumulative, and would put their persons in the pilot.
    const demo = path.join(dir, "demo.yaml");
    const r = await overstap(demo, "plan", "--stage", "pilot", "--out", path.join(dir, "pilot.plan"));
    expect(r.stderr).not.toContain("Warning");
    expect(r.stdout).toContain(
      "Review: 0 records left out, 0 with warnings, and 4 records outside this stage",
    );
    expect(r.code).toBe(0);
  });
});
