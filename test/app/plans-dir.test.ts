import path from "node:path";
import { describe, expect, it } from "vitest";
import { plansDir } from "../../src/app/project.js";
import { parseConfig } from "../../src/config/load.js";
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
