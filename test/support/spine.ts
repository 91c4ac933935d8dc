import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createMemoryTarget, type MemoryTarget } from "../../connectors/ldif/memory.js";
import { parseConfig } from "../../src/config/load.js";
import { compileMapping } from "../../src/mapping/mapping.js";
import type { GroupInput } from "../../src/model/group.js";
import type { PersonInput } from "../../src/model/person.js";
import type { TargetEntry } from "../../src/model/target-entry.js";
import { readPlan } from "../../src/plan/plan-file.js";
import { planToFile } from "../../src/plan/planner.js";
import { openSqliteStore } from "../../src/state/sqlite.js";

/**
 * The test school's mapping: a uid from the name, the name attributes and mail, then
 * `attributes` (YAML lines at the attributes' indent).
 */
export function schoolMapping(attributes: string): string {
  return `
version: 1
person:
  key: "uid={{ attrs.uid | dn }},ou=people,dc=school,dc=nl"
  attributes:
    objectClass: [inetOrgPerson, eduPerson]
    uid: "{{ givenName | initial | lower | ascii }}.{{ surname | lower | ascii | replace '[^a-z0-9-]' '' }}"
    givenName: "{{ givenName }}"
    sn: "{{ surname }}"
    cn: "{{ givenName }} {{ surname }}"
    mail: { value: "{{ mail | lower }}", when: "mail" }
${attributes}group:
  key: "cn={{ name | dn }},ou=groups,dc=school,dc=nl"
  attributes:
    objectClass: [groupOfNames]
    cn: "{{ name }}"
`;
}

const MAPPING = schoolMapping(`    eduPersonAffiliation: "{{ roles }}"\n`);

export function configText(extra = ""): string {
  return `
institution: { name: Testschool, realm: school.nl }
profile: entree
sources:
  las: { type: json, file: people.jsonl }
target: { type: ldif, file: target.ldif }
mapping: mapping.yaml
stages:
  - { name: pilot, select: { group: pilot } }
  - { name: all, select: { all: true } }
${extra}`;
}

export const person = (
  id: string,
  givenName: string,
  surname: string,
  extra: Partial<PersonInput> = {},
): PersonInput => ({
  source: "las",
  id,
  givenName,
  surname,
  roles: ["student"],
  ...extra,
});

/** A world for spine tests: a SQLite store with a snapshot, an in-memory target, a compiled mapping. */
export async function world(options: {
  persons: PersonInput[];
  groups?: GroupInput[];
  target?: TargetEntry[];
  config?: string;
}) {
  const dir = mkdtempSync(path.join(tmpdir(), "overstap-spine-"));
  const store = openSqliteStore(path.join(dir, "state.db"));
  await store.ingest("las", [
    { type: "reset" },
    ...options.persons.map((p) => ({ type: "person" as const, person: p as never })),
    ...(options.groups ?? []).map((g) => ({ type: "group" as const, group: g as never })),
    { type: "checkpoint", checkpoint: null, done: true },
  ]);
  const loaded = parseConfig(options.config ?? configText(), path.join(dir, "overstap.yaml"));
  const mappingFile = path.join(dir, "mapping.yaml");
  writeFileSync(mappingFile, MAPPING);
  const mapper = compileMapping(MAPPING, mappingFile);
  const target: MemoryTarget = createMemoryTarget(options.target ?? []);
  const plan = async (stage = "all", file = path.join(dir, `${stage}.plan`)) => {
    const saved = await planToFile(
      { config: loaded.config, configHash: loaded.hash, mapper, store, target, stage },
      file,
    );
    return readPlan(saved.file);
  };
  return { dir, store, target, config: loaded.config, configHash: loaded.hash, mapper, mappingFile, plan };
}
