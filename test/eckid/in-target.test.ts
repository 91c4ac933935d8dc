/**
 * The ECK iD step finds a pupil's ECK iD on the target entry the planner links them to: by
 * anchor, by the entry at the same key, or by a configured correlation key; never on an entry
 * the planner would not link (ambiguous, another person's). A pupil found there costs no hash
 * and no Nummervoorziening call.
 */
import { describe, expect, it } from "vitest";
import { createMemoryTarget } from "../../connectors/ldif/memory.js";
import { decodeSalt, TEST_SALT } from "../../src/eckid/hpgn.js";
import { targetEckIds } from "../../src/eckid/in-target.js";
import {
  type EckIdService,
  emptyResolveStats,
  type ResolveStats,
  resolveEckIds,
} from "../../src/eckid/resolve.js";
import { type Person, PersonSchema } from "../../src/model/person.js";
import type { TargetEntry } from "../../src/model/target-entry.js";
import type { EntryMapper } from "../../src/plan/entry-mapper.js";
import { anchorFor } from "../../src/plan/keys.js";
import { account, correlationProject } from "../support/correlation-world.js";
import { configText, person } from "../support/spine.js";

const eckId = (hex: string) => `https://ketenid.nl/201703/${hex.repeat(128)}`;

const CONFIG = configText(`correlation:
  keys:
    - { attribute: mail, confidence: 0.9 }
    - { attribute: employeeNumber, confidence: 0.6, match: exact }
`);

const pupil = (...args: Parameters<typeof person>): Person => PersonSchema.parse(person(...args));

const ENTRIES: TargetEntry[] = [
  account("anker", { eduPersonUniqueId: [anchorFor("las:1", "school.nl")], eckId: [eckId("1")] }),
  account("elders", { mail: ["a.anker@school.nl"], eckId: [eckId("0")] }),
  account("b.bij", { eckId: [eckId("2")] }),
  account("handmatig", { mail: ["C.Com@School.nl"], EckId: [eckId("3")] }),
  account("nummer", { employeeNumber: ["140004"], eckId: [eckId("4")] }),
  account("gezin1", { mail: ["gezin@school.nl"], eckId: [eckId("5")] }),
  account("gezin2", { mail: ["gezin@school.nl"], eckId: [eckId("6")] }),
  account("bezet", { mail: ["bezet@school.nl"], eduPersonUniqueId: ["iemand-anders"], eckId: [eckId("7")] }),
  account("zonder", { mail: ["zonder@school.nl"] }),
  account("kapot", { mail: ["kapot@school.nl"], eckId: ["https://ketenid.nl/201703/NOT-HEX"] }),
  {
    key: "cn=klas,ou=groups,dc=school,dc=nl",
    type: "group",
    attrs: { cn: ["klas"], mail: ["groep@school.nl"], eckId: [eckId("8")] },
  },
];

const PUPILS: [string, Person, string | undefined][] = [
  ["by anchor, before a key", pupil("1", "Ans", "Anker", { mail: "a.anker@school.nl" }), eckId("1")],
  ["by the entry at its key", pupil("2", "Bas", "Bij"), eckId("2")],
  ["by mail (any case)", pupil("3", "Cor", "Com", { mail: "c.com@school.nl" }), eckId("3")],
  ["by employeeNumber", pupil("4", "Dirk", "Dam", { number: "140004" }), eckId("4")],
  [
    "not when two entries match (ambiguous)",
    pupil("5", "Eef", "Gezin", { mail: "gezin@school.nl" }),
    undefined,
  ],
  ["not on another person's entry", pupil("6", "Fem", "Bezet", { mail: "bezet@school.nl" }), undefined],
  ["not when the entry has none", pupil("7", "Gijs", "Zonder", { mail: "zonder@school.nl" }), undefined],
  ["not when the entry's is malformed", pupil("8", "Hans", "Kapot", { mail: "kapot@school.nl" }), undefined],
  ["not from a group", pupil("9", "Ina", "Groep", { mail: "groep@school.nl" }), undefined],
  ["not for a new person", pupil("10", "Jan", "Nieuw", { mail: "jan@school.nl" }), undefined],
];

let mapped = 0;

async function lookUp(entries: TargetEntry[] = ENTRIES) {
  const { loaded, mapper: compiled } = correlationProject(CONFIG, "/nonexistent/in-target");
  const mapper: EntryMapper = {
    hash: compiled.hash,
    attributes: compiled.attributes,
    mapPerson: (p, vars) => {
      mapped++;
      return compiled.mapPerson(p, vars);
    },
    mapGroup: (g, vars) => compiled.mapGroup(g, vars),
  };
  return targetEckIds(createMemoryTarget(entries), loaded.config, mapper);
}

describe("targetEckIds", () => {
  it.each(PUPILS)("finds a pupil's ECK iD %s", async (_, person, expected) => {
    const inTarget = await lookUp();
    expect(inTarget(person)).toBe(expected);
  });

  it("finds the same values however many pupils are looked up, in any order", async () => {
    const inTarget = await lookUp();
    const forward = PUPILS.map(([, p]) => inTarget(p));
    const backward = [...PUPILS].reverse().map(([, p]) => inTarget(p));
    expect(backward.reverse()).toEqual(forward);
    expect(forward).toEqual(PUPILS.map(([, , expected]) => expected));
  });

  it("maps nobody when no entry holds an ECK iD", async () => {
    const withoutEckIds = ENTRIES.map((e) => ({ ...e, attrs: { ...e.attrs, eckId: [], EckId: [] } }));
    const inTarget = await lookUp(withoutEckIds);
    mapped = 0;
    expect(PUPILS.map(([, p]) => inTarget(p))).toEqual(PUPILS.map(() => undefined));
    expect(mapped).toBe(0);
  });

  it("spends no hash and no call on a pupil linked by a configured key", async () => {
    const inTarget = await lookUp();
    const refuse = () => {
      throw new Error("the Nummervoorziening must not be called");
    };
    const client: EckIdService = {
      retrieveStampseudonym: refuse,
      retrieveEckId: refuse,
      submitStampseudonymBatch: refuse,
      submitEckIdBatch: refuse,
      retrieveBatch: refuse,
    };
    const stats: ResolveStats = emptyResolveStats();
    const pgnsRead: string[] = [];
    const persons = [PUPILS[2]?.[1], PUPILS[3]?.[1]] as Person[];
    const result = await resolveEckIds(persons, {
      store: { getValues: async () => new Map(), setValues: async () => {} },
      pgnFor: (p) => {
        pgnsRead.push(p.id);
        return undefined;
      },
      inTarget,
      client,
      hashOptions: { salt: decodeSalt(TEST_SALT, "test") },
      stats,
    });
    expect(Object.fromEntries(result)).toEqual({ "las:3": eckId("3"), "las:4": eckId("4") });
    expect(stats).toMatchObject({ inTarget: 2, fetched: 0, withoutPgn: 0 });
    expect(pgnsRead).toEqual([]);
  });
});
