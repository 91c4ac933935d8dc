import { describe, expect, it } from "vitest";
import { configText, person, world } from "../support/spine.js";

const STAGES = `
stages:
  - { name: pilot, select: { group: [Pilot, g-staff] } }
  - { name: all, select: { all: true } }
`;

/** A world where stage `pilot` selects the group named Pilot and the group with id g-staff. */
async function pilotWorld() {
  return world({
    persons: [
      person("1", "Piet", "Puk", { groups: ["g-pilot"] }),
      person("2", "Zoë", "Çelik", { groups: ["g-nested"] }),
      person("3", "Jan", "Jansen", { groups: ["g-other"] }),
      person("4", "Bram", "Bakker", { groups: ["Pilot"] }),
      person("5", "Eva", "Smit", { groups: ["g-staff"] }),
      person("6", "Ali", "Yilmaz"),
    ],
    groups: [
      { source: "las", id: "g-pilot", name: "Pilot", kind: "team", members: ["1", "g-nested"] },
      { source: "las", id: "g-nested", name: "Subteam", kind: "team", members: ["2"] },
      { source: "las", id: "g-other", name: "Other", kind: "class", members: ["3"] },
      { source: "las", id: "g-staff", name: "Staff", kind: "staff", members: ["5"] },
    ],
    config: configText().replace(/stages:[\s\S]*$/, STAGES),
  });
}

const created = (ops: { kind: string; type: string; ref?: string }[]) =>
  ops
    .filter((o) => o.kind === "create" && o.type === "person")
    .map((o) => o.ref)
    .sort();

describe("selection by source group", () => {
  it("selects direct and nested members of a group named or identified in the stage", async () => {
    const w = await pilotWorld();
    const plan = await w.plan("pilot");
    expect(created(plan.operations)).toEqual(["las:1", "las:2", "las:4", "las:5"]);
  });

  it("leaves members of groups the stage does not name to a later stage", async () => {
    const w = await pilotWorld();
    const plan = await w.plan("all");
    expect(created(plan.operations)).toEqual(["las:1", "las:2", "las:3", "las:4", "las:5", "las:6"]);
  });
});
