import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/load.js";
import { emptySummary, PlanHeaderSchema } from "../../../src/model/plan.js";
import { planHeader } from "../../../src/plan/plan-header.js";

const { config } = parseConfig(
  `
institution: { name: Stichting Test, realm: test.nl }
profile: entree
sources: { las: { type: csv, file: las.csv } }
target: { type: ldif, file: d.ldif }
mapping: mapping.yaml
stages: [{ name: pilot, select: { all: true } }]
`,
  path.resolve("overstap.yaml"),
);
const summary = emptySummary();
const inputs = { snapshot: "s", mapping: "m", config: "c", target: "t" };

describe("plan header", () => {
  it("names the institution, profile and target type, the stage and the time, with a fresh id", () => {
    const now = new Date("2026-12-07T10:00:00Z");
    const pilot = () =>
      planHeader({ config, now, stage: { name: "pilot", index: 0 }, kind: "migrate", inputs, summary });
    const a = pilot();
    const b = pilot();
    expect(PlanHeaderSchema.parse(a)).toMatchObject({
      institution: "Stichting Test",
      profile: "entree",
      target: "ldif",
      stage: "pilot",
      createdAt: "2026-12-07T10:00:00.000Z",
      kind: "migrate",
    });
    expect(a.id).not.toBe(b.id);
    expect("rollbackOf" in a).toBe(false);
  });

  it("puts rollbackOf right after the kind, as rollback plans have always been written", () => {
    const h = planHeader({
      config,
      now: new Date(),
      stage: { name: "pilot", index: 0 },
      kind: "rollback",
      rollbackOf: "R1",
      inputs,
      summary,
    });
    const keys = Object.keys(h);
    expect(keys.indexOf("rollbackOf")).toBe(keys.indexOf("kind") + 1);
  });
});
