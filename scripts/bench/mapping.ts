/**
 * Throughput of the mapping language: persons mapped per second through a realistic
 * 12-attribute Entree mapping. Run directly (`npx tsx scripts/bench/mapping.ts [N]`) or call
 * {@link benchMapping} from the bench runner.
 */
import { pathToFileURL } from "node:url";
import { compileMapping } from "../../src/mapping/mapping.js";
import type { Person } from "../../src/model/person.js";

/** The mapping measured: what a primary-school board on Entree would write. */
export const BENCH_MAPPING = `version: 1
vars:
  peopleBase: ou=people,dc=voorbeeld,dc=nl
lookups:
  brinByDepartment: { "De Regenboog": "11ZZ", "Het Kompas": "20DP", "De Wilg": "31AB" }
  affiliationByRole: { leerling: student, leraar: employee, onderwijsassistent: staff, directeur: employee }
person:
  key: "uid={{ attrs.uid | dn }},{{ vars.peopleBase }}"
  attributes:
    objectClass: [inetOrgPerson, eduPerson, nlEduPerson]
    uid: "{{ givenName | initial | lower | ascii }}.{{ surname | lower | ascii | replace '[^a-z0-9-]' '' }}{{ number | default '' }}"
    givenName: "{{ givenName | trim }}"
    sn: "{{ surname | trim }}"
    nlEduPersonTussenvoegsels: { value: "{{ tussenvoegsel }}", when: "tussenvoegsel" }
    cn: "{{ displayName | default (givenName ~ ' ' ~ surname) }}"
    mail: { value: "{{ mail | lower }}", when: "mail matches '^[^@ ]+@[^@ ]+$'" }
    eduPersonAffiliation: "{{ roles | lookup 'affiliationByRole' }}"
    eduPersonPrincipalName: "{{ attrs.uid }}@{{ vars.realm }}"
    nlEduPersonHomeOrganizationId: "{{ ext.department | lookup 'brinByDepartment' | default brin }}"
    nlEduPersonHomeOrganization: "{{ vars.institution }}"
    employeeNumber:
      - value: "{{ number }}"
        when: "roles contains 'leerling'"
      - value: "{{ ext.employeeId }}"
        when: "not (roles contains 'leerling')"
`;

const GIVEN = [
  "Zoë",
  "Daan",
  "Sem",
  "Julia",
  "Mila",
  "Noah",
  "Ömer",
  "Fleur",
  "Łucja",
  "Bram",
  "Anaïs",
  "Jan-Willem",
];
const SURNAME = [
  "Jansen",
  "de Vries",
  "Çelik",
  "van den Berg",
  "Bakker",
  "Visser",
  "Smit",
  "Ørsted",
  "Meijer",
  "El Amrani",
];
const PREFIX = ["", "", "van", "de", "van der", ""];
const DEPARTMENT = ["De Regenboog", "Het Kompas", "De Wilg", "Onbekend"];

/** A deterministic pool of varied persons (pupils and staff). */
export function benchPersons(count: number): Person[] {
  const persons: Person[] = [];
  for (let i = 0; i < count; i++) {
    const pupil = i % 10 !== 0;
    const given = GIVEN[i % GIVEN.length] as string;
    const surname = SURNAME[(i * 7) % SURNAME.length] as string;
    persons.push({
      source: "entra",
      id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      givenName: given,
      tussenvoegsel: PREFIX[i % PREFIX.length] || undefined,
      surname,
      displayName: i % 3 === 0 ? undefined : `${given} ${surname}`,
      mail: i % 4 === 0 ? undefined : `${given}.${surname}${i}@Voorbeeld.nl`.replace(/ /g, ""),
      roles: pupil ? ["leerling"] : ["leraar"],
      brin: "11ZZ",
      number: pupil ? String(100000 + i) : undefined,
      enabled: true,
      groups: [],
      ext: pupil ? { department: DEPARTMENT[i % DEPARTMENT.length] as string } : { employeeId: `E${i}` },
    });
  }
  return persons;
}

/**
 * Maps `n` persons (cycling through a pool of 10,000 distinct ones) and returns the rate by
 * the wall clock and by the CPU time the process used (steadier on a shared machine).
 * Throws if any person fails to map, so a broken mapping cannot report a fast time.
 */
export async function benchMapping(n: number): Promise<{ perSecond: number; cpuPerSecond: number }> {
  const mapping = compileMapping(BENCH_MAPPING, "bench.yaml");
  const pool = benchPersons(Math.min(n, 10_000));
  const vars = {
    realm: "voorbeeld.nl",
    schacHomeOrganization: "voorbeeld.nl",
    institution: "Stichting Voorbeeld",
  };
  for (const p of pool) mapping.mapPerson(p, vars);
  let failed = 0;
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    if (!mapping.mapPerson(pool[i % pool.length] as Person, vars).ok) failed++;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  if (failed > 0) throw new Error(`${failed} of ${n} persons failed to map`);
  return {
    perSecond: Math.round(n / seconds),
    cpuPerSecond: Math.round(n / ((used.user + used.system) / 1e6)),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = Number(process.argv[2] ?? 1_000_000);
  const { perSecond, cpuPerSecond } = await benchMapping(n);
  console.log(
    `mapping: ${n} persons in ${(n / perSecond).toFixed(2)} s: ${perSecond} persons/s (${cpuPerSecond} per CPU-second)`,
  );
}
