import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { LdapTarget } from "../../../connectors/ldap/target.js";
import { parseConfig } from "../../../src/config/load.js";
import { compileMapping } from "../../../src/mapping/mapping.js";
import type { GroupInput } from "../../../src/model/group.js";
import type { PersonInput } from "../../../src/model/person.js";
import { readPlan } from "../../../src/plan/plan-file.js";
import { planToFile } from "../../../src/plan/planner.js";
import { openSqliteStore } from "../../../src/state/sqlite.js";
import { targetFor } from "../../connectors/ldap/helpers.js";
import type { Slapd } from "../../support/slapd.js";

const run = promisify(execFile);

export const MAPPING = `
version: 1
person:
  key: "uid={{ attrs.uid | dn }},ou=people,dc=example,dc=nl"
  attributes:
    objectClass: [inetOrgPerson, eduPerson]
    uid: "{{ givenName | initial | lower | ascii }}.{{ surname | lower | ascii | replace '[^a-z0-9-]' '' }}"
    givenName: "{{ givenName }}"
    sn: "{{ surname }}"
    cn: "{{ givenName }} {{ surname }}"
    mail: { value: "{{ mail | lower }}", when: "mail" }
    eduPersonAffiliation: "{{ roles }}"
group:
  key: "cn={{ name | dn }},ou=groups,dc=example,dc=nl"
  attributes:
    objectClass: [groupOfNames]
    cn: "{{ name }}"
`;

/** A mapping that satisfies the Entree profile (what `overstap plan` validates against). */
export const ENTREE_MAPPING = `
version: 1
person:
  key: "uid={{ attrs.uid | dn }},ou=people,dc=example,dc=nl"
  attributes:
    objectClass: [inetOrgPerson, eduPerson, nlEduPerson]
    uid: "{{ givenName | initial | lower | ascii }}.{{ surname | lower | ascii | replace '[^a-z0-9-]' '' }}@example.nl"
    givenName: "{{ givenName }}"
    sn: "{{ surname }}"
    cn: "{{ givenName }} {{ surname }}"
    employeeNumber: "{{ number }}"
    eduPersonAffiliation: "{{ roles }}"
    nlEduPersonHomeOrganizationId: "11ZZ03"
    nlEduPersonHomeOrganization: "Testschool"
`;

/** The overstap.yaml of an LDAP world; the target section is the slapd's. */
export function configText(slapd: Slapd, extra = ""): string {
  return `
institution: { name: Testschool, realm: example.nl }
profile: entree
sources:
  las: { type: json, file: people.jsonl }
target:
  type: ldap
  url: ${slapd.url}
  baseDn: dc=example,dc=nl
  peopleBase: ou=people,dc=example,dc=nl
  groupsBase: ou=groups,dc=example,dc=nl
  bindDn: ${slapd.bindDn}
  bindPassword: { file: ${slapd.passwordFile} }
mapping: mapping.yaml
state: { sqlite: state.db }
stages:
  - { name: all, select: { all: true } }
safety: { person: { maxDisables: { count: 50, percent: 100 } } }
${extra}`;
}

/**
 * The directory as `ldapsearch` exports it: user attributes only, unwrapped LDIF. Each entry's
 * block is kept byte for byte; the blocks are put in DN order, since the order in which slapd
 * returns a subtree is not part of the directory's content (mdb changes it after deletes).
 */
export async function exportLdif(slapd: Slapd): Promise<string> {
  const { stdout } = await run(
    "ldapsearch",
    [
      "-x",
      "-H",
      slapd.url,
      "-D",
      slapd.bindDn,
      "-y",
      slapd.passwordFile,
      "-LLL",
      "-o",
      "ldif-wrap=no",
      "-b",
      "dc=example,dc=nl",
    ],
    { maxBuffer: 1 << 26 },
  );
  const blocks = stdout.split(/\n\n+/).filter((b) => b.trim() !== "");
  return `${blocks.sort().join("\n\n")}\n`;
}

/** Changes the running slapd with ldapmodify (LDIF with changetype), as someone else would. */
export async function modify(slapd: Slapd, ldif: string): Promise<void> {
  const file = path.join(slapd.dir, `modify-${Date.now()}.ldif`);
  writeFileSync(file, ldif);
  await run("ldapmodify", ["-x", "-H", slapd.url, "-D", slapd.bindDn, "-y", slapd.passwordFile, "-f", file]);
}

/** Loads LDIF into the running slapd with ldapadd. */
export async function seed(slapd: Slapd, ldif: string): Promise<void> {
  const file = path.join(slapd.dir, `seed-${Date.now()}.ldif`);
  writeFileSync(file, ldif);
  await run("ldapadd", ["-x", "-H", slapd.url, "-D", slapd.bindDn, "-y", slapd.passwordFile, "-f", file]);
}

/** A project on slapd: store with a snapshot of `persons`/`groups`, the LDAP target, a planner. */
export async function ldapWorld(
  slapd: Slapd,
  persons: PersonInput[],
  groups: GroupInput[] = [],
  mapping = MAPPING,
) {
  const dir = mkdtempSync(path.join(tmpdir(), "overstap-ldap-e2e-"));
  const store = openSqliteStore(path.join(dir, "state.db"));
  await store.ingest("las", [
    { type: "reset" },
    ...persons.map((p) => ({ type: "person" as const, person: p as never })),
    ...groups.map((g) => ({ type: "group" as const, group: g as never })),
    { type: "checkpoint", checkpoint: null, done: true },
  ]);
  const text = configText(slapd);
  writeFileSync(path.join(dir, "overstap.yaml"), text);
  writeFileSync(path.join(dir, "mapping.yaml"), mapping);
  writeFileSync(path.join(dir, "people.jsonl"), `${persons.map((p) => JSON.stringify(p)).join("\n")}\n`);
  const loaded = parseConfig(text, path.join(dir, "overstap.yaml"));
  const mapper = compileMapping(mapping, path.join(dir, "mapping.yaml"));
  const target: LdapTarget = await targetFor(slapd);
  const plan = async (file = path.join(dir, "all.plan")) => {
    const saved = await planToFile(
      { config: loaded.config, configHash: loaded.hash, mapper, store, target, stage: "all" },
      file,
    );
    return readPlan(saved.file);
  };
  const close = async () => {
    await target.close();
    await store.close();
  };
  return { dir, store, target, config: loaded.config, configHash: loaded.hash, plan, close };
}
