/**
 * A unique value (here mail) produced for several persons: the person linked to the target entry
 * that holds it keeps it, whichever way the planner linked them (anchor, the entry at the same
 * key, a configured correlation key); the others are left out as duplicates. Runs buildPlan on a
 * real SQLite store and an in-memory target.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryTarget } from "../../connectors/ldif/memory.js";
import { parseConfig } from "../../src/config/load.js";
import { compileMapping } from "../../src/mapping/mapping.js";
import type { PersonInput } from "../../src/model/person.js";
import type { TargetEntry } from "../../src/model/target-entry.js";
import { anchorFor, buildPlan } from "../../src/plan/planner.js";
import { openSqliteStore } from "../../src/state/sqlite.js";

const PEOPLE = "ou=people,dc=school,dc=nl";
const dn = (uid: string) => `uid=${uid},${PEOPLE}`;
const SHARED = "gezin@school.nl";

const MAPPING = `
version: 1
person:
  key: "uid={{ attrs.uid | dn }},${PEOPLE}"
  attributes:
    objectClass: [inetOrgPerson, eduPerson]
    uid: "{{ givenName | initial | lower | ascii }}.{{ surname | lower | ascii }}"
    givenName: "{{ givenName }}"
    sn: "{{ surname }}"
    cn: "{{ givenName }} {{ surname }}"
    mail: { value: "{{ mail | lower }}", when: "mail" }
    employeeNumber: { value: "{{ number }}", when: "number" }
group:
  key: "cn={{ name | dn }},ou=groups,dc=school,dc=nl"
  attributes:
    objectClass: [groupOfNames]
    cn: "{{ name }}"
`;

// mail is unique (the planner's default) but no correlation key, so the second person sharing it
// does not claim the same entry by it.
const CONFIG = `
institution: { name: Testschool, realm: school.nl }
sources:
  las: { type: json, file: people.jsonl }
target: { type: ldif, file: target.ldif }
mapping: mapping.yaml
stages:
  - { name: all, select: { all: true } }
correlation:
  keys:
    - { attribute: employeeNumber, confidence: 0.9, match: exact }
`;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const pupil = (id: string, givenName: string, surname: string, extra: Partial<PersonInput> = {}) =>
  ({ source: "las", id, givenName, surname, roles: ["student"], ...extra }) as PersonInput;

const account = (uid: string, attrs: Record<string, string[]>): TargetEntry => ({
  key: dn(uid),
  type: "person",
  attrs: { objectClass: ["inetOrgPerson"], uid: [uid], cn: [uid], sn: [uid], ...attrs },
});

async function plan(persons: PersonInput[], entries: TargetEntry[]) {
  const dir = mkdtempSync(path.join(tmpdir(), "overstap-duplicates-"));
  dirs.push(dir);
  const store = openSqliteStore(path.join(dir, "state.db"));
  await store.ingest("las", [
    { type: "reset" },
    ...persons.map((p) => ({ type: "person" as const, person: p as never })),
    { type: "checkpoint", checkpoint: null, done: true },
  ]);
  const loaded = parseConfig(CONFIG, path.join(dir, "overstap.yaml"));
  const mapper = compileMapping(MAPPING, path.join(dir, "mapping.yaml"));
  return buildPlan({
    config: loaded.config,
    configHash: loaded.hash,
    mapper,
    store,
    target: createMemoryTarget(entries),
    stage: "all",
  });
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
});
