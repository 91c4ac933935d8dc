import { describe, expect, it } from "vitest";
import type { Group } from "../../../src/model/group.js";
import {
  readGroups,
  requireSelectedGroups,
  resolveMembers,
  selectGroups,
} from "../../../src/plan/group-members.js";
import { mergePersons } from "../../../src/plan/merge.js";

const group = (id: string, members: string[], name = id): Group =>
  ({ source: "las", id, name, members }) as Group;
const store = (groups: Group[]) => ({
  async *groups() {
    yield* groups;
  },
});

describe("group members", () => {
  it("resolves nested groups transitively and reports a cycle once", async () => {
    const snapshot = await readGroups(store([group("a", ["p1", "b"]), group("b", ["p2", "a"])]));
    let cycles = 0;
    const members = resolveMembers(snapshot.groups[0] as Group, snapshot.byRef, () => cycles++);
    expect([...members].sort()).toEqual(["p1", "p2"]);
    expect(cycles).toBe(1);
  });

  it("resolves only the groups a stage selects, by id or name, for each member", async () => {
    const snapshot = await readGroups(store([group("g1", ["p1"], "ICT"), group("g2", ["p2"], "3a")]));
    const stages = [{ name: "pilot", select: { group: ["ICT"] }, allow: [] }] as never;
    const selection = selectGroups(snapshot, stages, 0);
    expect(selection?.transitive.get("las:p1")).toEqual(["ICT"]);
    expect(selection?.transitive.has("las:p2")).toBe(false);
    expect(
      selectGroups(snapshot, [{ name: "all", select: { all: true }, allow: [] }] as never, 0),
    ).toBeUndefined();
  });
});

describe("requireSelectedGroups", () => {
  it("refuses a stage naming a group no source has, suggesting the close names", async () => {
    const snapshot = await readGroups(store([group("g1", ["p1"], "Groep 8B"), group("g2", [], "Groep 7a")]));
    const stage = (group: string[]) => ({ name: "pilot", select: { group }, allow: [] }) as never;
    expect(() => requireSelectedGroups(snapshot, stage(["Groep 8B", "g2"]))).not.toThrow();
    expect(() => requireSelectedGroups(snapshot, stage(["Groep 8b", "Bestuur"]))).toThrow(
      expect.objectContaining({
        code: "STAGE_SELECTION",
        message:
          'stage "pilot" selects group "Groep 8b", group "Bestuur", which no source has: by them the stage selects no one',
        hint: 'Did you mean "Groep 8B"? Groups are named exactly as the source names them; fix select.group of stage "pilot" in the configuration.',
      }),
    );
  });
});

describe("merge", () => {
  it("gives the snapshot's persons, in both views, as the canonical persons (one source per person for now)", async () => {
    const persons = [
      { source: "las", id: "1" },
      { source: "las", id: "2" },
    ];
    const canonical = mergePersons(
      {
        async *persons() {
          yield* persons as never[];
        },
        async *personTexts() {
          yield persons.map((p) => JSON.stringify(p));
        },
      },
      2,
    );
    const seen: unknown[] = [];
    for await (const p of canonical.persons()) seen.push(p);
    const texts: string[] = [];
    for await (const page of canonical.personTexts()) texts.push(...page);
    expect(canonical.count).toBe(2);
    expect(seen).toEqual(persons);
    expect(texts.map((t) => JSON.parse(t))).toEqual(persons);
  });
});
