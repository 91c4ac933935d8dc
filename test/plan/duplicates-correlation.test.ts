/**
 * A unique value (here mail) produced for several persons: the person linked to the target entry
 * that holds it keeps it, whichever way the planner linked them (anchor, the entry at the same
 * key, a configured correlation key); the others are left out as duplicates. Runs buildPlan on a
 * real SQLite store and an in-memory target.
 */
import { describe, expect, it } from "vitest";
import type { PersonInput } from "../../src/model/person.js";
import type { TargetEntry } from "../../src/model/target-entry.js";
import { anchorFor } from "../../src/plan/keys.js";
import { account, correlationWorld } from "../support/correlation-world.js";
import { configText, person as pupil } from "../support/spine.js";

const SHARED = "gezin@school.nl";

// mail is unique (the planner's default) but no correlation key, so the second person sharing it
// does not claim the same entry by it.
const CONFIG = configText(`correlation:
  keys:
    - { attribute: employeeNumber, confidence: 0.9, match: exact }
`);

async function plan(persons: PersonInput[], entries: TargetEntry[]) {
  return (await correlationWorld(persons, entries, CONFIG)).plan();
}

/** Eva (las:1) is linked to the entry `eva`, which holds the shared mail; Tom (las:2) is new. */
const LINKS: [string, Partial<PersonInput>, TargetEntry][] = [
  ["by anchor", {}, account("eva", { mail: [SHARED], eduPersonUniqueId: [anchorFor("las:1", "school.nl")] })],
  ["by the entry at the same key", {}, account("e.een", { mail: [SHARED] })],
  [
    "by a configured key (employeeNumber)",
    { number: "140001" },
    account("eva", { mail: [SHARED.toUpperCase()], employeeNumber: ["140001"] }),
  ],
];

describe("duplicates among linked persons", () => {
  it.each(LINKS)(
    "the person linked %s keeps the shared mail; the other is left out",
    async (_, eva, entry) => {
      const result = await plan(
        [pupil("1", "Eva", "Een", { mail: SHARED, ...eva }), pupil("2", "Tom", "Twee", { mail: SHARED })],
        [entry],
      );
      expect(result.review).toEqual([
        expect.objectContaining({
          record: "las:2",
          field: "mail",
          rule: "duplicate",
          severity: "error",
          candidates: ["las:1"],
        }),
        // Linked without an anchor, Eva's entry is adopted.
        ...(entry.attrs.eduPersonUniqueId
          ? []
          : [expect.objectContaining({ record: "las:1", rule: "adoption", candidates: [entry.key] })]),
      ]);
      expect(result.operations.filter((op) => op.ref === "las:2")).toEqual([]);
      expect(result.operations.filter((op) => op.kind === "create")).toEqual([]);
      const evaOps = result.operations.filter((op) => op.ref === "las:1");
      expect(evaOps.every((op) => op.key === entry.key && op.kind === "update")).toBe(true);
    },
  );

  it("leaves both out when the entry a person is linked to by a key does not hold the value", async () => {
    const result = await plan(
      [
        pupil("1", "Eva", "Een", { mail: SHARED, number: "140001" }),
        pupil("2", "Tom", "Twee", { mail: SHARED }),
      ],
      [account("eva", { mail: ["eva@school.nl"], employeeNumber: ["140001"] })],
    );
    expect(result.review.map((r) => [r.record, r.rule, r.field])).toEqual([
      ["las:1", "duplicate", "mail"],
      ["las:2", "duplicate", "mail"],
    ]);
    expect(result.operations).toEqual([]);
  });

  it("checks anchors a mapping gives itself (default anchors, hashes of distinct references, are not)", async () => {
    const anchor = `    eduPersonUniqueId: { value: "{{ number }}@school.nl", when: "number" }\n`;
    const world = await correlationWorld(
      [
        pupil("1", "Eva", "Een", { number: "140001" }),
        pupil("2", "Tom", "Twee", { number: "140001" }),
        pupil("3", "Ali", "Drie", { number: "140003" }),
        pupil("4", "Bo", "Vier"),
      ],
      [],
      CONFIG,
      anchor,
    );
    const result = await world.plan();
    expect(result.review.map((r) => [r.record, r.rule, r.field])).toEqual([
      ["las:1", "duplicate", "eduPersonUniqueId"],
      ["las:2", "duplicate", "eduPersonUniqueId"],
    ]);
    expect(result.operations.filter((op) => op.kind === "create").map((op) => op.ref)).toEqual([
      "las:3",
      "las:4",
    ]);
  });
});
