import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/load.js";
import { stageInputs } from "../../../src/plan/stage-inputs.js";
import type { SourceInfo } from "../../../src/state/store.js";

const { config } = parseConfig(
  `
institution: { name: Stichting Test, realm: test.nl, schacHomeOrganization: school.nl }
profile: entree
sources: { las: { type: csv, file: las.csv }, hr: { type: csv, file: hr.csv } }
target: { type: ldif, file: d.ldif }
mapping: mapping.yaml
vars: { domain: example.nl }
stages:
  - { name: pilot, select: { group: ICT } }
  - { name: all, select: { all: true }, allow: [create, update] }
`,
  path.resolve("overstap.yaml"),
);
const info = (persons: number, complete = true): SourceInfo => ({
  source: "x",
  persons,
  groups: 0,
  invalid: 0,
  checkpoint: null,
  complete,
  pulledAt: null,
});
const store = (infos: Record<string, SourceInfo | null>) => ({
  sourceInfo: async (name: string) => infos[name] ?? null,
});

describe("stage inputs", () => {
  it("finds the stage, counts the persons of every source, and sets up the mapping's vars", async () => {
    const s = await stageInputs(config, store({ las: info(10), hr: info(5) }), "all");
    expect(s.stageIndex).toBe(1);
    expect(s.persons).toBe(15);
    expect(s.everyone).toBe(true);
    expect([...s.allowed]).toEqual(["create", "update"]);
    expect(s.vars).toEqual({
      realm: "test.nl",
      schacHomeOrganization: "school.nl",
      institution: "Stichting Test",
      domain: "example.nl",
    });
    expect(s.scope).toBe("school.nl");
  });

  it("selects everyone only from the first stage that says so", async () => {
    expect((await stageInputs(config, store({ las: info(1), hr: info(1) }), "pilot")).everyone).toBe(false);
  });

  it("refuses an unknown stage, a source never pulled, and a pull that did not finish", async () => {
    await expect(stageInputs(config, store({ las: info(1), hr: info(1) }), "nope")).rejects.toMatchObject({
      code: "STAGE_UNKNOWN",
    });
    await expect(stageInputs(config, store({ las: info(1) }), "all")).rejects.toMatchObject({
      code: "STATE_INVALID",
    });
    await expect(stageInputs(config, store({ las: info(1), hr: info(1, false) }), "all")).rejects.toThrow(
      /did not finish/,
    );
  });
});
