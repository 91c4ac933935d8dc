/**
 * Throughput of the profile step: validation against the SURFconext and Entree profiles,
 * correlation with an existing target (n persons × n/2 entries), stable identifier issuing and
 * Dutch name handling. Run directly (`npx tsx scripts/bench/profiles.ts [N]`) or call
 * {@link benchProfiles} from the bench runner. Rates are persons per second.
 */
import { pathToFileURL } from "node:url";
import {
  CorrelationConfigSchema,
  correlate,
  indexTarget,
  type MappedPerson,
} from "../../src/mapping/correlate.js";
import { loginPart, splitSurname } from "../../src/mapping/dutch-names.js";
import { IdentifierRegistry } from "../../src/mapping/identifiers.js";
import { loadProfile, type Profile, validateEntry } from "../../src/mapping/profile.js";
import type { TargetEntry } from "../../src/model/target-entry.js";
import type { StateStore } from "../../src/state/store.js";

const POOL = 50_000;
const ECKID = `https://ketenid.nl/201703/${"5e".repeat(64)}`;

/** A deterministic pool of mapped SURFconext persons; every 50th is dirty (a warning or an error). */
function surfPool(size: number): Record<string, string[]>[] {
  return Array.from({ length: size }, (_, i) => ({
    uid: [i % 500 === 7 ? `bad,uid${i}` : `user${i}`],
    schacHomeOrganization: ["voorbeeld.nl"],
    displayName: [`Student ${i}`],
    ...(i % 50 === 3 ? {} : { mail: [`user${i}@voorbeeld.nl`] }),
    givenName: ["Student"],
    sn: [`Nummer ${i}`],
    eduPersonAffiliation: ["student", "member"],
    eduPersonScopedAffiliation: ["student@voorbeeld.nl", "member@voorbeeld.nl"],
    eduPersonPrincipalName: [`user${i}@voorbeeld.nl`],
    schacPersonalUniqueCode: [`urn:schac:personalUniqueCode:nl:local:voorbeeld.nl:studentid:${i}`],
    preferredLanguage: ["nl"],
  }));
}

function entreePool(size: number): Record<string, string[]>[] {
  return Array.from({ length: size }, (_, i) => ({
    uid: [`leerling${i}@voorbeeld`],
    employeeNumber: [String(100000 + i)],
    givenName: ["Daan"],
    sn: i % 50 === 9 ? [] : ["Berg"],
    nlEduPersonTussenvoegsels: ["van den"],
    eduPersonAffiliation: [i % 10 === 0 ? "employee" : "student"],
    nlEduPersonHomeOrganizationId: [i % 3 === 0 ? "11ZZ03" : "20DP"],
    nlEduPersonHomeOrganization: ["Stichting Voorbeeld"],
    nlEduPersonProfileId: [`${100000 + i}@1.voorbeeld.nl`],
    eckId: [ECKID],
    mail: [`leerling${i}@voorbeeld.nl`],
  }));
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function benchValidation(profile: Profile, pool: Record<string, string[]>[], n: number): number {
  let findings = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++)
    findings += validateEntry(profile, pool[i % pool.length] as Record<string, string[]>, "b:1").length;
  const rate = n / seconds(start);
  if (findings === 0)
    throw new Error(`the ${profile.name} bench pool is dirty, yet validation found nothing`);
  return Math.round(rate);
}

function benchCorrelation(n: number): { perSecond: number; indexMs: number } {
  const persons: MappedPerson[] = new Array(n);
  for (let i = 0; i < n; i++) {
    persons[i] = {
      ref: `entra:${i}`,
      attrs: {
        eduPersonPrincipalName: [`user${i}@voorbeeld.nl`],
        mail: [`User${i}@Voorbeeld.nl`],
        employeeNumber: [String(100000 + i)],
      },
    };
  }
  const entries: TargetEntry[] = new Array(Math.floor(n / 2));
  for (let j = 0; j < entries.length; j++) {
    const i = j * 2;
    entries[j] = {
      key: `uid=user${i},ou=people,dc=voorbeeld,dc=nl`,
      type: "person",
      attrs:
        j % 3 === 0
          ? { overstapSourceRef: [`entra:${i}`], uid: [`user${i}`] }
          : { uid: [`user${i}`], mail: [`user${i}@voorbeeld.nl`], employeeNumber: [String(100000 + i)] },
    };
  }
  const config = CorrelationConfigSchema.parse({
    anchor: { attribute: "overstapSourceRef" },
    keys: [
      { attribute: "eduPersonPrincipalName", confidence: 0.95 },
      { attribute: "mail", confidence: 0.8 },
      { attribute: "employeeNumber", confidence: 0.6, match: "exact" },
    ],
  });
  const start = process.hrtime.bigint();
  const index = indexTarget(entries, config);
  const indexMs = seconds(start) * 1000;
  const result = correlate(persons, index);
  const total = seconds(start);
  if (result.counts.linked !== entries.length) {
    throw new Error(`correlation linked ${result.counts.linked} of ${entries.length} entries`);
  }
  return { perSecond: Math.round(n / total), indexMs: Math.round(indexMs) };
}

class MemoryKv implements Pick<StateStore, "getValues" | "setValues"> {
  readonly #data = new Map<string, Map<string, string>>();
  async getValues(ns: string, keys: string[]): Promise<Map<string, string>> {
    const space = this.#data.get(ns);
    const out = new Map<string, string>();
    if (space) for (const k of keys) if (space.has(k)) out.set(k, space.get(k) as string);
    return out;
  }
  async setValues(ns: string, entries: Iterable<[string, string]>): Promise<void> {
    const space = this.#data.get(ns) ?? new Map<string, string>();
    this.#data.set(ns, space);
    for (const [k, v] of entries) space.set(k, v);
  }
}

async function benchIdentifiers(n: number): Promise<{ first: number; rerun: number }> {
  const requests = Array.from({ length: n }, (_, i) => ({
    ref: `entra:${i}`,
    candidate: `u${i % (n - n / 20)}`,
  }));
  const kv = new MemoryKv();
  let start = process.hrtime.bigint();
  const registry = new IdentifierRegistry(kv);
  const first = await registry.assign(requests);
  await registry.commit(first);
  const firstRate = n / seconds(start);
  if (first.values.size !== n) throw new Error(`identifiers: ${first.values.size} of ${n} issued`);
  start = process.hrtime.bigint();
  const again = await new IdentifierRegistry(kv).assign(requests);
  const rerunRate = n / seconds(start);
  if (again.issued.length !== 0) throw new Error("identifiers: a re-run issued new values");
  return { first: Math.round(firstRate), rerun: Math.round(rerunRate) };
}

function benchNames(n: number): number {
  const names = [
    "van der Berg",
    "de Vries",
    "Çelik",
    "'t Hart",
    "Jansen-de Vries",
    "D'Ancona",
    "Bakker",
    "van 't Hek",
  ];
  let length = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const parts = splitSurname(names[i % names.length] as string);
    length += loginPart(parts.surname).length;
  }
  const rate = n / seconds(start);
  if (length === 0) throw new Error("names: nothing folded");
  return Math.round(rate);
}

/**
 * Measures the profile step for `n` persons and returns rates in persons/s (and the target
 * index build time in ms). Validation cycles through a pool of 50,000 distinct records with
 * errors and warnings in them; correlation runs n persons against n/2 target entries.
 */
export async function benchProfiles(n: number): Promise<Record<string, number>> {
  const [surf, entree] = await Promise.all([loadProfile("surfconext"), loadProfile("entree")]);
  const size = Math.min(n, POOL);
  const out: Record<string, number> = {};
  out.validateSurfconextPerSecond = benchValidation(surf, surfPool(size), n);
  out.validateEntreePerSecond = benchValidation(entree, entreePool(size), n);
  const corr = benchCorrelation(n);
  out.correlatePerSecond = corr.perSecond;
  out.correlateIndexMs = corr.indexMs;
  const ids = await benchIdentifiers(n);
  out.identifiersFirstRunPerSecond = ids.first;
  out.identifiersRerunPerSecond = ids.rerun;
  out.dutchNamesPerSecond = benchNames(n);
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = Number(process.argv[2] ?? 1_000_000);
  const result = await benchProfiles(n);
  for (const [name, value] of Object.entries(result))
    console.log(`profiles: ${name} = ${value.toLocaleString("en")}`);
}
