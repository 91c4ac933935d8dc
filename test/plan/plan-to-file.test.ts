import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { OverstapError } from "../../src/errors.js";
import type { TargetEntry } from "../../src/model/target-entry.js";
import { anchorFor } from "../../src/plan/keys.js";
import { readPlan } from "../../src/plan/plan-file.js";
import { buildPlan, type PlanInputs, planToFile } from "../../src/plan/planner.js";
import { configText, person, world } from "../support/spine.js";

const base = "ou=people,dc=school,dc=nl";
const existing = (uid: string, ref: string, attrs: Record<string, string[]>): TargetEntry => ({
  key: `uid=${uid},${base}`,
  type: "person",
  attrs: {
    objectClass: ["inetOrgPerson", "eduPerson"],
    uid: [uid],
    eduPersonUniqueId: [anchorFor(ref, "school.nl")],
    ...attrs,
  },
});

/** A world whose plan has every phase: creates, an update, a leaver's disable, group creates, additions and removals. */
async function mixedWorld() {
  const w = await world({
    persons: [
      person("1", "Piet", "Puk", { mail: "piet@school.nl", groups: ["g1"] }),
      person("2", "Zoë", "Çelik", { groups: ["g1", "g2"] }),
      person("3", "Jan", "de Vries", { roles: ["employee"], groups: ["g2"] }),
      person("4", "Bram", "Bakker", { groups: ["g3"] }),
    ],
    groups: [
      { source: "las", id: "g1", name: "5A", kind: "class", members: ["1", "2"] },
      { source: "las", id: "g2", name: "Team", kind: "team", members: ["2", "3"] },
      { source: "las", id: "g3", name: "6B", kind: "class", members: ["4"] },
    ],
    target: [
      existing("p.puk", "las:1", {
        givenName: ["Piet"],
        sn: ["Puk"],
        cn: ["Piet Puk"],
        mail: ["old@school.nl"],
      }),
      existing("g.gone", "las:9", { givenName: ["G"], sn: ["Gone"], cn: ["G Gone"] }),
      {
        key: "cn=6B,ou=groups,dc=school,dc=nl",
        type: "group",
        attrs: { objectClass: ["groupOfNames"], cn: ["6B"], member: [`uid=g.gone,${base}`] },
      },
    ],
    config: configText(
      "groups: { manage: true }\nprotect: { unmanagedGroups: false }\nsafety: { person: { maxDisables: { count: 5, percent: 50 } } }",
    ),
  });
  return { w, inputs: inputsOf(w) };
}

/** Plan inputs for the whole population of a test world. */
function inputsOf(w: Awaited<ReturnType<typeof world>>): PlanInputs {
  return {
    config: w.config,
    configHash: w.configHash,
    mapper: w.mapper,
    store: w.store,
    target: w.target,
    stage: "all",
    now: new Date("2026-11-29T12:00:00Z"),
  };
}

describe("planToFile", () => {
  it("writes the same operations, in the same order, as the plan built in memory", async () => {
    const { w, inputs } = await mixedWorld();
    const inMemory = await buildPlan(inputs);
    const saved = await planToFile(inputs, path.join(w.dir, "streamed.plan"));
    const read = await readPlan(saved.file);

    const kinds = new Set(inMemory.operations.map((o) => `${o.type} ${o.kind}`));
    expect(kinds).toEqual(
      new Set([
        "person create",
        "person update",
        "person disable",
        "group create",
        "group add-members",
        "group remove-members",
      ]),
    );
    expect(read.operations).toEqual(inMemory.operations);
    expect(read.operations.map((o) => o.seq)).toEqual(read.operations.map((_, i) => i));
    expect(saved.operations).toBe(read.operations.length);
    expect(saved.hash).toBe(read.hash);
    expect(read.header.summary).toEqual(inMemory.header.summary);
    expect(read.review).toEqual(inMemory.review);
  });

  it("numbers operations phase by phase even when later phases are planned first", async () => {
    const { w, inputs } = await mixedWorld();
    const saved = await planToFile(inputs, path.join(w.dir, "streamed.plan"));
    const ops = (await readPlan(saved.file)).operations;
    const firstGroupOp = ops.findIndex((o) => o.type === "group");
    const disable = ops.findIndex((o) => o.kind === "disable");
    expect(ops.slice(0, firstGroupOp).every((o) => o.type === "person" && o.kind !== "disable")).toBe(true);
    expect(disable).toBeGreaterThan(firstGroupOp);
  });

  it("leaves only the plan file, mode 0600, and no spool or temporary file", async () => {
    const { w, inputs } = await mixedWorld();
    await planToFile(inputs, path.join(w.dir, "streamed.plan"));
    const left = readdirSync(w.dir).filter((f) => f.includes("streamed"));
    expect(left).toEqual(["streamed.plan"]);
    expect(statSync(path.join(w.dir, "streamed.plan")).mode & 0o777).toBe(0o600);
  });

  it("writes no plan and removes its spool when planning fails", async () => {
    const { w, inputs } = await mixedWorld();
    await expect(
      planToFile({ ...inputs, stage: "nope" }, path.join(w.dir, "failed.plan")),
    ).rejects.toMatchObject({
      code: "STAGE_UNKNOWN",
    });
    expect(readdirSync(w.dir).filter((f) => f.includes("failed"))).toEqual([]);
  });
});

describe("planToFile with mapping workers", () => {
  // One person per batch: the rows come from both workers' spools, in turns.
  const threaded = (inputs: PlanInputs, mappingFile: string, minPersons = 0): PlanInputs => ({
    ...inputs,
    workers: { recipe: { mappingFile }, threads: 2, minPersons, batchSize: 1 },
  });

  it("writes the same plan as the planner's own thread", async () => {
    const { w, inputs } = await mixedWorld();
    const inMemory = await buildPlan(inputs);
    const saved = await planToFile(threaded(inputs, w.mappingFile), path.join(w.dir, "threads.plan"));
    const read = await readPlan(saved.file);
    expect(read.operations).toEqual(inMemory.operations);
    expect(read.review).toEqual(inMemory.review);
    expect(read.header.summary).toEqual(inMemory.header.summary);
    expect(readdirSync(w.dir).filter((f) => f.includes("threads"))).toEqual(["threads.plan"]);
  });

  it("keeps a person whose record does not map, while the target is read alongside the mapping", async () => {
    const w = await world({
      persons: [person("1", "Piet", "Puk"), person("2", "Zoë", "")],
      target: [
        existing("z.celik", "las:2", { givenName: ["Zoë"], sn: ["Çelik"], cn: ["Zoë Çelik"] }),
        existing("g.gone", "las:9", { givenName: ["G"], sn: ["Gone"], cn: ["G Gone"] }),
      ],
      config: configText("safety: { person: { maxDisables: { count: 5, percent: 50 } } }"),
    });
    const saved = await planToFile(threaded(inputsOf(w), w.mappingFile), path.join(w.dir, "threads.plan"));
    const plan = await readPlan(saved.file);
    expect(plan.review.some((r) => r.record === "las:2" && r.severity === "error")).toBe(true);
    expect(plan.operations.map((o) => `${o.kind} ${o.key}`)).toEqual([
      `create uid=p.puk,${base}`,
      `disable uid=g.gone,${base}`,
    ]);
  });

  it("opens the target alongside the workers; a target that cannot be opened fails the plan with its error, leaving no files", async () => {
    const { w, inputs } = await mixedWorld();
    const inMemory = await buildPlan(inputs);
    const opened = threaded({ ...inputs, target: async () => w.target }, w.mappingFile);
    const saved = await planToFile(opened, path.join(w.dir, "lazy.plan"));
    expect((await readPlan(saved.file)).operations).toEqual(inMemory.operations);
    const locked = threaded(
      {
        ...inputs,
        target: async () => {
          throw new OverstapError("TARGET_UNREACHABLE", "the target does not answer");
        },
      },
      w.mappingFile,
    );
    await expect(planToFile(locked, path.join(w.dir, "locked.plan"))).rejects.toMatchObject({
      code: "TARGET_UNREACHABLE",
    });
    expect(readdirSync(w.dir).filter((f) => f.includes("locked"))).toEqual([]);
  });

  it("maps with the recipe in the workers (a different mapping file shows in the plan)", async () => {
    const { w, inputs } = await mixedWorld();
    const other = path.join(w.dir, "other-mapping.yaml");
    writeFileSync(
      other,
      readFileSync(w.mappingFile, "utf8").replace('cn: "{{ givenName }} {{ surname }}"', 'cn: "X"'),
    );
    const saved = await planToFile(threaded(inputs, other), path.join(w.dir, "threads.plan"));
    const creates = (await readPlan(saved.file)).operations.filter(
      (o) => o.type === "person" && o.kind === "create",
    );
    expect(creates.length).toBeGreaterThan(0);
    for (const op of creates) expect(op.attrs?.cn).toEqual(["X"]);
  });

  it("maps in its own thread below the size threshold", async () => {
    const { w, inputs } = await mixedWorld();
    const saved = await planToFile(
      threaded(inputs, path.join(w.dir, "missing.yaml"), 1000),
      path.join(w.dir, "small.plan"),
    );
    expect(saved.operations).toBeGreaterThan(0);
  });

  it("fails with the worker's error, and leaves no plan and no spool", async () => {
    const { w, inputs } = await mixedWorld();
    await expect(
      planToFile(threaded(inputs, path.join(w.dir, "missing.yaml")), path.join(w.dir, "failed.plan")),
    ).rejects.toMatchObject({ code: "MAPPING_INVALID" });
    expect(readdirSync(w.dir).filter((f) => f.includes("failed"))).toEqual([]);
  });
});
