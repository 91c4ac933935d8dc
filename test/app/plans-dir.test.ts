import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyFile } from "../../src/app/apply-plan.js";
import { planStage } from "../../src/app/plan-stage.js";
import { openProject, plansDir } from "../../src/app/project.js";
import { pullSources } from "../../src/app/pull.js";
import { rollbackRun } from "../../src/app/rollback.js";
import { parseConfig } from "../../src/config/load.js";
import { demoFiles } from "../../src/demo/data.js";
import { anchorFor } from "../../src/plan/keys.js";
import { configText } from "../support/spine.js";

const FILE = path.resolve("/srv/school/overstap.yaml");

describe("the plans folder (state.plans)", () => {
  it("is plans/ beside the SQLite file by default, as before the setting existed", () => {
    expect(plansDir(parseConfig(configText(), FILE))).toBe(path.resolve("/srv/school/.overstap/plans"));
    const moved = `${configText()}state: { sqlite: ../var/overstap.db }\n`;
    expect(plansDir(parseConfig(moved, FILE))).toBe(path.resolve("/srv/var/plans"));
  });

  it("is the configured folder, relative to the configuration file", () => {
    const text = `${configText()}state: { sqlite: .overstap/state.db, plans: reviewed/plans }\n`;
    expect(plansDir(parseConfig(text, FILE))).toBe(path.resolve("/srv/school/reviewed/plans"));
  });

  it("refuses an empty folder name, naming the key", () => {
    const text = `${configText()}state: { sqlite: .overstap/state.db, plans: "" }\n`;
    expect(() => parseConfig(text, FILE)).toThrow(/state\.plans/);
  });
});

describe("plan and rollback without a file name", () => {
  it("save into state.plans when it is set", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "overstap-plans-dir-"));
    try {
      const files = demoFiles((ref) => anchorFor(ref, "voorbeeld.nl"));
      files["overstap.yaml"] = files["overstap.yaml"].replace(
        "state: { sqlite: .overstap/state.db }",
        "state: { sqlite: .overstap/state.db, plans: reviewed }",
      );
      for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
      const project = await openProject(path.join(dir, "overstap.yaml"));
      try {
        await pullSources(project);
        const plan = await planStage(project, "pilot");
        expect(path.dirname(plan.file)).toBe(path.join(dir, "reviewed"));
        expect(path.basename(plan.file)).toMatch(/^pilot-\d{8}T\d{6}\.plan$/);
        const run = await applyFile(project, plan.file);
        const undo = await rollbackRun(project, run.id);
        expect(undo.file).toBe(path.join(dir, "reviewed", `rollback-${run.id}.plan`));
      } finally {
        await project.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
