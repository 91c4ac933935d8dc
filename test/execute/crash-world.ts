/**
 * The world of the SIGKILL test: a school board like the built-in demo's, as files on disk
 * (overstap.yaml, a mapping, a JSON Lines source, an LDIF directory from an earlier partial
 * migration), built so that one plan holds every kind of operation: person creates, updates,
 * renames (moves out of an old container and RDN changes), disables (leavers and disabled at
 * the source), enables, deletes (purge date passed), group creates and updates, members added
 * and removed.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { openLdifTarget } from "../../connectors/ldif/target.js";
import { DEMO_GIVEN_NAMES, DEMO_SCHOOLS, DEMO_SURNAMES } from "../../src/demo/data.js";
import { numberedAlternative } from "../../src/mapping/identifiers.js";
import { compileMapping } from "../../src/mapping/mapping.js";
import { escapeDnValue } from "../../src/model/dn.js";
import { expectedAfter, sameEntry } from "../../src/model/entry.js";
import type { Operation } from "../../src/model/operation.js";
import type { PersonInput } from "../../src/model/person.js";
import type { TargetEntry } from "../../src/model/target-entry.js";
import { anchorFor, normKey } from "../../src/plan/keys.js";
import { demoMappingFor } from "../support/demo-mapping.js";
import { seededRandom } from "../support/prng.js";

const BASE = "dc=school,dc=nl";
const PEOPLE = `ou=people,${BASE}`;
const OLD = `ou=oud,${BASE}`;
const GROUPS = `ou=groups,${BASE}`;
const SCOPE = "school.nl";
const DISABLED = "urn:schac:userStatus:nl:overstap:disabled";

/** Operations per journaled batch in the world's config. */
export const BATCH_SIZE = 50;

const CONFIG = `# The SIGKILL test's board: two schools, pupils and staff in one JSON Lines export.
institution: { name: Stichting Proef, realm: school, schacHomeOrganization: ${SCOPE} }
profile: entree
sources:
  las: { type: json, file: people.jsonl }
target: { type: ldif, file: directory.ldif }
mapping: mapping.yaml
stages:
  - name: bestuur
    select: { all: true }
    allow: [create, update, rename, enable, disable, delete, add-members, remove-members, adopt]
# The old directory's class groups were made by hand: this board lets Overstap adopt them.
protect: { unmanagedGroups: false }
safety:
  person: { maxDisables: { count: 1000, percent: 100 }, maxDeletes: { count: 100, percent: 100 } }
  group: { maxDisables: { count: 1000, percent: 100 }, maxDeletes: { count: 100, percent: 100 } }
execution: { concurrency: 4, batchSize: ${BATCH_SIZE} }
state: { sqlite: state.db }
`;

const MAPPING = demoMappingFor(BASE);

const GIVEN = [...DEMO_GIVEN_NAMES, "Văn An", "Øyvind"];
const SURNAMES: readonly [string, string][] = [...DEMO_SURNAMES, ["", "Nguyễn"]];
const STAFF_ROLES = ["leerkracht", "directie", "intern begeleider", "conciërge"];

/** How many persons of each kind the world holds. */
const COUNTS = {
  create: 130,
  unchanged: 40,
  update: 50,
  move: 25,
  rdnChange: 10,
  disableAtSource: 10,
  enable: 10,
  leave: 35,
  purge: 5,
};
type Category = keyof typeof COUNTS;

interface Member {
  person: PersonInput;
  category: Category;
  klas: string;
}

/** The files of the world, by name. */
export type CrashWorld = Record<string, string>;

/** Builds the world's files from a fixed seed: the same world on every run. */
export function crashWorld(): CrashWorld {
  const random = seededRandom(20261201);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const mapper = compileMapping(MAPPING, "mapping.yaml");
  const vars = { realm: "school", schacHomeOrganization: SCOPE, institution: "Stichting Proef" };

  const members: Member[] = [];
  let n = 0;
  for (const [category, count] of Object.entries(COUNTS) as [Category, number][]) {
    for (let i = 0; i < count; i++) {
      const school = DEMO_SCHOOLS[n % 2] as (typeof DEMO_SCHOOLS)[number];
      const staff = n % 9 === 0;
      const [tussenvoegsel, surname] = pick(SURNAMES);
      const givenName = pick(GIVEN);
      const id = staff ? `P${2000 + n}` : `L${140000 + n}`;
      const person: PersonInput = {
        source: "las",
        id,
        givenName,
        ...(tussenvoegsel ? { tussenvoegsel } : {}),
        surname,
        roles: [staff ? pick(STAFF_ROLES) : "leerling"],
        brin: school.brin,
        vestiging: school.vestiging,
        number: id,
        ...(staff ? { mail: `${givenName}.${surname}${n}@proef.nl`.replace(/[^A-Za-z0-9.@]/g, "") } : {}),
        ...(category === "disableAtSource" ? { enabled: false } : {}),
      };
      members.push({ person, category, klas: staff ? `Team ${school.brin}` : pick(school.classes) });
      n++;
    }
  }

  // The directory of an earlier, partial migration: everyone but the new persons.
  const taken = new Set<string>();
  const start: TargetEntry[] = [];
  const keyOf = new Map<string, string>();
  for (const m of members) {
    if (m.category === "create") continue;
    const mapped = mapper.mapPerson({ enabled: true, groups: [], ext: {}, ...m.person } as never, vars);
    if (!mapped.ok)
      throw new Error(`crash world: person ${m.person.id} does not map: ${JSON.stringify(mapped.errors)}`);
    const attrs = mapped.attrs;
    const candidate = attrs.uid?.[0] as string;
    let uid = candidate;
    for (let k = 2; taken.has(uid.toLowerCase()); k++) uid = numberedAlternative(candidate, k);
    taken.add(uid.toLowerCase());
    attrs.uid = [uid];
    attrs.eduPersonUniqueId = [anchorFor(`las:${m.person.id}`, SCOPE)];
    let key = `uid=${escapeDnValue(uid)},${PEOPLE}`;
    switch (m.category) {
      case "update":
        if (attrs.mail) attrs.mail = [`oud.${attrs.mail[0]}`];
        else attrs.sn = [`${attrs.sn?.[0]}-Oud`];
        attrs.displayName = [`${attrs.displayName?.[0]} (oud)`];
        break;
      case "move":
        key = `uid=${escapeDnValue(uid)},${OLD}`;
        if (random() < 0.5) attrs.employeeNumber = ["0"];
        break;
      case "rdnChange":
        key = `cn=${escapeDnValue(attrs.cn?.[0] as string)}+employeeNumber=${attrs.employeeNumber?.[0]},${PEOPLE}`;
        break;
      case "enable":
        attrs.objectClass = [...(attrs.objectClass ?? []), "schacUserEntitlements", "schacEntryMetadata"];
        attrs.schacUserStatus = [DISABLED];
        attrs.schacExpiryDate = ["20991231000000Z"];
        break;
      case "leave":
        attrs.eduPersonUniqueId = [anchorFor(`las:weg-${m.person.id}`, SCOPE)];
        break;
      case "purge":
        attrs.eduPersonUniqueId = [anchorFor(`las:weg-${m.person.id}`, SCOPE)];
        attrs.objectClass = [...(attrs.objectClass ?? []), "schacUserEntitlements", "schacEntryMetadata"];
        attrs.schacUserStatus = [DISABLED];
        attrs.schacExpiryDate = ["20200101000000Z"];
        break;
      default:
        break;
    }
    keyOf.set(m.person.id, key);
    start.push({ key, type: "person", attrs });
  }

  // Classes and teams: the source's groups, and the old directory's copies of some of them.
  const groups = new Map<string, string[]>();
  for (const m of members) {
    if (m.category === "leave" || m.category === "purge") continue;
    groups.set(m.klas, [...(groups.get(m.klas) ?? []), m.person.id]);
  }
  for (const name of ["5A", "6A", "5B", "6B", "Team 11ZZ"]) {
    const current = members
      .filter((m) => m.klas === name && m.category !== "create" && random() < 0.8)
      .map((m) => keyOf.get(m.person.id) as string);
    const elsewhere = members.filter((m) => m.klas !== name && keyOf.has(m.person.id)).slice(0, 3);
    start.push({
      key: `cn=${escapeDnValue(name)},${GROUPS}`,
      type: "group",
      attrs: {
        objectClass: ["groupOfNames"],
        cn: [name],
        description: [name === "5A" ? "groep 5A (oud)" : `groep ${name}`],
        member: [...current, ...elsewhere.map((m) => keyOf.get(m.person.id) as string)],
      },
    });
  }

  const lines = members
    .filter((m) => m.category !== "leave" && m.category !== "purge")
    .map(({ person }) => {
      const { source: _source, ...fields } = person;
      return JSON.stringify({ kind: "person", ...fields });
    });
  for (const [name, ids] of groups) {
    const groupKind = name.startsWith("Team") ? "team" : "class";
    lines.push(
      JSON.stringify({
        kind: "group",
        id: name,
        name,
        displayName: `groep ${name}`,
        groupKind,
        members: ids,
      }),
    );
  }

  const base64 = (text: string) => Buffer.from(text).toString("base64");
  const ldif = [
    "version: 1",
    `dn: ${BASE}\nobjectClass: dcObject\nobjectClass: organization\ndc: school\no: Stichting Proef`,
    `dn: ${PEOPLE}\nobjectClass: organizationalUnit\nou: people`,
    `dn: ${OLD}\nobjectClass: organizationalUnit\nou: oud`,
    `dn: ${GROUPS}\nobjectClass: organizationalUnit\nou: groups`,
    ...start.map((e) =>
      [
        `dn:: ${base64(e.key)}`,
        ...Object.entries(e.attrs).flatMap(([a, vs]) => vs.map((v) => `${a}:: ${base64(v)}`)),
      ].join("\n"),
    ),
  ].join("\n\n");

  return {
    "overstap.yaml": CONFIG,
    "mapping.yaml": MAPPING,
    "people.jsonl": `${lines.join("\n")}\n`,
    "directory.ldif": `${ldif}\n`,
  };
}

/** Writes the world's files into `dir` (mode 0600). */
export function writeWorld(dir: string, world: CrashWorld): void {
  for (const [name, text] of Object.entries(world))
    writeFileSync(path.join(dir, name), text, { mode: 0o600 });
}

/** The entries of the world's LDIF directory in `dir`, as the target reads them. */
export async function readWorldTarget(dir: string): Promise<TargetEntry[]> {
  const target = await openLdifTarget(
    {
      type: "ldif",
      file: "directory.ldif",
      personClasses: ["inetOrgPerson"],
      groupClasses: ["groupOfNames", "groupOfUniqueNames"],
    },
    { name: "target", baseDir: dir },
  );
  const entries: TargetEntry[] = [];
  try {
    for await (const e of target.read()) entries.push(e);
  } finally {
    await target.close();
  }
  return entries;
}

/** The reference semantics: every operation of the plan folded over the start state with `expectedAfter`. */
export function plannedState(start: TargetEntry[], ops: Operation[]): Map<string, TargetEntry> {
  const state = new Map(start.map((e) => [normKey(e.key), e]));
  for (const op of [...ops].sort((a, b) => a.seq - b.seq)) {
    const key = normKey(op.key);
    const after = expectedAfter(op, state.get(key) ?? null);
    state.delete(key);
    if (after) state.set(normKey(after.key), after);
  }
  return state;
}

/** Keys of `entries` that differ from `expected`, and keys of `expected` that `entries` lack. */
export function stateDifferences(
  entries: TargetEntry[],
  expected: Map<string, TargetEntry>,
): { wrong: string[]; missing: string[] } {
  const wrong = entries.filter((e) => !sameEntry(expected.get(normKey(e.key)) ?? null, e)).map((e) => e.key);
  const keys = new Set(entries.map((e) => normKey(e.key)));
  return { wrong, missing: [...expected.keys()].filter((k) => !keys.has(k)) };
}
