/**
 * Throughput of the profile step: validation against the SURFconext and Entree profiles,
 * correlation with an existing target (n persons × n/2 entries), stable identifier issuing and
 * Dutch name handling. Run directly (`npx tsx scripts/bench/profiles.ts [N]`) or call
 * {@link benchProfiles} from the bench runner. Rates are persons per second.
 */
import { pathToFileURL } from "node:url";
import { CorrelationSchema } from "../../src/config/schema.js";
import { loginPart, splitSurname } from "../../src/mapping/dutch-names.js";
import { IdentifierRegistry } from "../../src/mapping/identifiers.js";
import { loadProfile, type Profile, validateEntry } from "../../src/mapping/profile.js";
import type { TargetConnector } from "../../src/model/connector.js";
import type { ReviewItem } from "../../src/model/review.js";
import type { TargetEntry } from "../../src/model/target-entry.js";
import { correlate } from "../../src/plan/correlation.js";
import { anchorFor, normKey } from "../../src/plan/keys.js";
import { AttributeColumns, MappedPerson } from "../../src/plan/mapped-person.js";
import { TargetIndex } from "../../src/plan/target-index.js";
import { MemoryKv } from "../../test/support/memory-kv.js";

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

function cpuSeconds(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/** A target connector that yields the given entries (the planner's TargetIndex reads it once). */
function targetOf(entries: TargetEntry[]): TargetConnector {
  return {
    name: "bench",
    async *read() {
      yield* entries;
    },
  } as unknown as TargetConnector;
}

/**
 * The planner's correlation step (src/plan/correlation.ts) for n mapped persons against n/2
 * person entries: a third of the entries carry their person's anchor (a previous migration),
 * the rest are hand-made accounts at other keys found by mail (the second of three keys).
 */
async function benchCorrelation(
  n: number,
): Promise<{ perSecond: number; perCpuSecond: number; indexMs: number; plainIndexMs: number }> {
  const scope = "voorbeeld.nl";
  const config = CorrelationSchema.parse({
    keys: [
      { attribute: "eduPersonPrincipalName", confidence: 0.95 },
      { attribute: "mail", confidence: 0.8 },
      { attribute: "employeeNumber", confidence: 0.6, match: "exact" },
    ],
  });
  const entries: TargetEntry[] = new Array(Math.floor(n / 2));
  for (let j = 0; j < entries.length; j++) {
    const i = j * 2;
    entries[j] =
      j % 3 === 0
        ? {
            key: `uid=user${i},ou=people,dc=voorbeeld,dc=nl`,
            type: "person",
            attrs: { uid: [`user${i}`], eduPersonUniqueId: [anchorFor(`entra:${i}`, scope)] },
          }
        : {
            key: `uid=hand${i},ou=people,dc=voorbeeld,dc=nl`,
            type: "person",
            attrs: {
              uid: [`hand${i}`],
              mail: [`user${i}@voorbeeld.nl`],
              employeeNumber: [String(100000 + i)],
            },
          };
  }
  const columns = new AttributeColumns(config.keys.map((k) => k.attribute));
  const mapped: MappedPerson[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const key = `uid=user${i},ou=people,dc=voorbeeld,dc=nl`;
    const attrs = {
      eduPersonPrincipalName: [`user${i}@school.example`],
      mail: [`User${i}@Voorbeeld.nl`],
      employeeNumber: [String(100000 + i)],
    };
    columns.record(i, attrs);
    const anchor = anchorFor(`entra:${i}`, scope);
    const init = {
      ref: `entra:${i}`,
      key,
      norm: normKey(key),
      anchor,
      enabled: true,
      selected: true,
      row: i,
    };
    mapped[i] = new MappedPerson(init);
  }
  let start = process.hrtime.bigint();
  await TargetIndex.read(targetOf(entries), config.anchor, { identifiers: ["uid"] });
  const plainIndexMs = seconds(start) * 1000;
  start = process.hrtime.bigint();
  const target = await TargetIndex.read(targetOf(entries), config.anchor, {
    identifiers: ["uid"],
    keys: config.keys,
  });
  const indexMs = seconds(start) * 1000;
  const review: ReviewItem[] = [];
  const cpu = process.cpuUsage();
  start = process.hrtime.bigint();
  const counts = correlate(mapped, columns, target, config, review);
  const wall = seconds(start);
  const cpuUsed = cpuSeconds(cpu);
  if (counts.linked !== entries.length || counts.new !== n - entries.length || review.length !== 0) {
    throw new Error(`correlation linked ${counts.linked} of ${entries.length} entries`);
  }
  return {
    perSecond: Math.round(n / wall),
    perCpuSecond: Math.round(n / cpuUsed),
    indexMs: Math.round(indexMs),
    plainIndexMs: Math.round(plainIndexMs),
  };
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
  const given = new Set(first.values).size;
  if (given !== n) throw new Error(`identifiers: ${given} distinct values for ${n} persons`);
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
 * Measures the profile step for `n` persons and returns rates in persons/s (correlation also per
 * CPU second), and the time to read n/2 entries into the planner's target index without and with
 * the three key maps, in ms.
 * Validation cycles through a pool of 50,000 distinct records with errors and warnings in them;
 * correlation runs n persons against n/2 target entries.
 */
export async function benchProfiles(n: number): Promise<Record<string, number>> {
  const [surf, entree] = await Promise.all([loadProfile("surfconext"), loadProfile("entree")]);
  const size = Math.min(n, POOL);
  const out: Record<string, number> = {};
  out.validateSurfconextPerSecond = benchValidation(surf, surfPool(size), n);
  out.validateEntreePerSecond = benchValidation(entree, entreePool(size), n);
  const corr = await benchCorrelation(n);
  out.correlatePerSecond = corr.perSecond;
  out.correlatePerCpuSecond = corr.perCpuSecond;
  out.targetIndexMs = corr.plainIndexMs;
  out.targetIndexWithKeyMapsMs = corr.indexMs;
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
