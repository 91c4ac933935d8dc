/**
 * The built-in demo: a synthetic primary-school board with two schools, its pupils (a LAS
 * export) and staff (an HR export), an existing directory from an earlier partial migration,
 * and a handful of dirty records. Everything is generated deterministically; no real person
 * is in here.
 */

export interface DemoFiles {
  "overstap.yaml": string;
  "mapping.yaml": string;
  "leerlingen.csv": string;
  "personeel.csv": string;
  "directory.ldif": string;
}

/** Given names of the synthetic demo people; benchmarks and tests draw from the same list. */
export const DEMO_GIVEN_NAMES = [
  "Daan",
  "Emma",
  "Sem",
  "Julia",
  "Lucas",
  "Mila",
  "Finn",
  "Tess",
  "Levi",
  "Sophie",
  "Noah",
  "Zoë",
  "Liam",
  "Saar",
  "Mees",
  "Nora",
  "Bram",
  "Fenna",
  "Thijs",
  "Lotte",
  "Yusuf",
  "Amira",
  "Jesse",
  "Noor",
];
/** Surnames of the synthetic demo people, as [tussenvoegsel, surname]; tests draw from the same list. */
export const DEMO_SURNAMES: readonly [string, string][] = [
  ["", "Jansen"],
  ["de", "Vries"],
  ["van den", "Berg"],
  ["", "Bakker"],
  ["van", "Dijk"],
  ["", "Visser"],
  ["", "Smit"],
  ["", "Meijer"],
  ["de", "Boer"],
  ["", "Mulder"],
  ["de", "Groot"],
  ["", "Bos"],
  ["", "Vos"],
  ["", "Peters"],
  ["", "Hendriks"],
  ["van", "Leeuwen"],
  ["", "Dekker"],
  ["", "Brouwer"],
  ["de", "Wit"],
  ["", "Dijkstra"],
  ["", "Çelik"],
  ["", "Yılmaz"],
  ["'t", "Hart"],
  ["", "El Amrani"],
];
/** The demo board's two schools: BRIN, branch (vestiging), name and classes. */
export const DEMO_SCHOOLS = [
  { brin: "11ZZ", vestiging: "00", name: "Basisschool De Regenboog", classes: ["5A", "6A", "7A", "8A"] },
  { brin: "20DP", vestiging: "01", name: "Basisschool Het Kompas", classes: ["5B", "6B", "7B", "8B"] },
];

/**
 * A seeded pseudo-random generator (mulberry32): the same seed gives the same sequence, so the
 * demo (and a failing random test) comes out the same every time. Returns numbers in [0, 1).
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const csvCell = (v: string) => (/[;"\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csvLine = (cells: string[]) => cells.map(csvCell).join(";");

/** Generates the demo's files. `anchorFor(ref)` gives the anchor value of a source reference. */
export function demoFiles(anchorFor: (ref: string) => string): DemoFiles {
  const random = seededRandom(20261129);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

  const pupils: string[] = [
    csvLine([
      "Leerlingnummer",
      "Roepnaam",
      "Tussenvoegsel",
      "Achternaam",
      "Groep",
      "BRIN",
      "Vestiging",
      "E-mail",
    ]),
  ];
  let number = 140100;
  for (const school of DEMO_SCHOOLS) {
    for (const klas of school.classes) {
      for (let i = 0; i < 8; i++) {
        const [tv, sn] = pick(DEMO_SURNAMES);
        pupils.push(
          csvLine([
            String(number++),
            pick(DEMO_GIVEN_NAMES),
            tv,
            sn,
            `groep ${klas}`,
            school.brin,
            school.vestiging,
            "",
          ]),
        );
      }
    }
  }
  // Dirty and unusual records a real export has.
  pupils.push(csvLine([String(number++), "Zoë", "", "Ødegård", "groep 5A", "11ZZ", "00", ""]));
  pupils.push(csvLine([String(number++), "Văn An", "", "Nguyễn", "groep 6B", "20DP", "01", ""]));
  pupils.push(csvLine([String(number++), "Mohammed", "", "", "groep 7A", "11ZZ", "00", ""]));
  pupils.push(csvLine([String(number++), "Isa", "", "Koster", "groep 8B", "20D!", "01", ""]));

  const staff: string[] = [
    csvLine([
      "Personeelsnummer",
      "Voornaam",
      "Tussenvoegsel",
      "Achternaam",
      "Functie",
      "BRIN",
      "Vestiging",
      "E-mail",
      "Team",
    ]),
  ];
  const staffRows: [string, string, string, string, string, string, string][] = [
    ["P1001", "Anne", "", "Jacobs", "directie", "11ZZ", "ICT-pilot"],
    ["P1002", "Kees", "van der", "Linden", "leerkracht", "11ZZ", "ICT-pilot"],
    ["P1003", "Fatima", "", "Bennani", "leerkracht", "11ZZ", "Team Regenboog"],
    ["P1004", "Ruud", "", "Kramer", "intern begeleider", "11ZZ", "Team Regenboog"],
    ["P1005", "Ingrid", "de", "Jong", "directie", "20DP", "ICT-pilot"],
    ["P1006", "Mark", "", "Willems", "leerkracht", "20DP", "Team Kompas"],
    ["P1007", "Sanne", "", "Verhoeven", "leerkracht", "20DP", "Team Kompas"],
    ["P1008", "Joost", "", "Maas", "conciërge", "20DP", "Team Kompas"],
  ];
  for (const [id, given, tv, sn, role, brin, team] of staffRows) {
    const school = DEMO_SCHOOLS.find((s) => s.brin === brin);
    const mail = `${given.toLowerCase()}.${(tv + sn).toLowerCase().replace(/[^a-z]/g, "")}@voorbeeld.nl`;
    staff.push(csvLine([id, given, tv, sn, role, brin, school?.vestiging ?? "", mail, team]));
  }
  // Two people share one mailbox: both are left out for review.
  staff.push(
    csvLine(["P1009", "Tom", "", "Smeets", "leerkracht", "20DP", "01", "info@voorbeeld.nl", "Team Kompas"]),
  );
  staff.push(
    csvLine(["P1010", "Lisa", "", "Smeets", "leerkracht", "20DP", "01", "info@voorbeeld.nl", "Team Kompas"]),
  );

  const people = "ou=people,dc=voorbeeld,dc=nl";
  const ldif = [
    "version: 1",
    "",
    "dn: dc=voorbeeld,dc=nl\nobjectClass: dcObject\nobjectClass: organization\ndc: voorbeeld\no: Stichting Voorbeeld",
    `dn: ${people}\nobjectClass: organizationalUnit\nou: people`,
    "dn: ou=groups,dc=voorbeeld,dc=nl\nobjectClass: organizationalUnit\nou: groups",
    // Migrated in an earlier try: linked, but with an old mail address.
    [
      `dn: uid=a.jacobs@voorbeeld,${people}`,
      "objectClass: inetOrgPerson",
      "objectClass: eduPerson",
      "cn: Anne Jacobs",
      "displayName: Anne Jacobs",
      `eduPersonUniqueId: ${anchorFor("personeel:P1001")}`,
      "eduPersonAffiliation: employee",
      "employeeNumber: P1001",
      "givenName: Anne",
      "mail: a.jacobs@oude-school.nl",
      "nlEduPersonHomeOrganization: Basisschool De Regenboog",
      "nlEduPersonHomeOrganizationId: 11ZZ",
      "nlEduPersonHomeOrganizationBranchId: 11ZZ00",
      "sn: Jacobs",
      "uid: a.jacobs@voorbeeld",
    ].join("\n"),
    // Left the board last summer: will be disabled, not deleted.
    [
      `dn: uid=h.oudgediende@voorbeeld,${people}`,
      "objectClass: inetOrgPerson",
      "objectClass: eduPerson",
      "cn: Henk Oudgediende",
      `eduPersonUniqueId: ${anchorFor("personeel:P0999")}`,
      "eduPersonAffiliation: employee",
      "givenName: Henk",
      "sn: Oudgediende",
      "uid: h.oudgediende@voorbeeld",
    ].join("\n"),
  ].join("\n\n");

  return {
    "overstap.yaml": CONFIG,
    "mapping.yaml": demoMapping(),
    "leerlingen.csv": `${pupils.join("\n")}\n`,
    "personeel.csv": `${staff.join("\n")}\n`,
    "directory.ldif": `${ldif}\n`,
  };
}

const CONFIG = `# Overstap demo: Stichting Voorbeeld, two primary schools moving to an LDAP directory for Entree.
institution:
  name: Stichting Voorbeeld
  realm: voorbeeld
  schacHomeOrganization: voorbeeld.nl
profile: entree
sources:
  leerlingen:
    type: csv
    file: leerlingen.csv
    delimiter: ";"
    columns: { id: Leerlingnummer, number: Leerlingnummer, givenName: Roepnaam, tussenvoegsel: Tussenvoegsel, surname: Achternaam, brin: BRIN, vestiging: Vestiging, mail: E-mail }
    constants: { roles: [leerling] }
    groups: { column: Groep, kind: class }
  personeel:
    type: csv
    file: personeel.csv
    delimiter: ";"
    columns: { id: Personeelsnummer, number: Personeelsnummer, givenName: Voornaam, tussenvoegsel: Tussenvoegsel, surname: Achternaam, brin: BRIN, vestiging: Vestiging, mail: E-mail, roles: Functie }
    groups: { column: Team, kind: team }
target:
  type: ldif
  file: directory.ldif
mapping: mapping.yaml
stages:
  - { name: pilot, description: "the ICT pilot team", select: { group: ICT-pilot } }
  - { name: bestuur, description: "everyone at both schools", select: { all: true } }
# A small directory: one leaver is already a large percentage of it.
safety:
  person: { maxDisables: { count: 5, percent: 50 }, maxDeletes: { count: 0, percent: 0 } }
state: { sqlite: .overstap/state.db }
`;

/**
 * The demo's mapping: Entree attributes for pupils and staff, with people under
 * `ou=people,BASE` and groups under `ou=groups,BASE` (the demo's own: `dc=voorbeeld,dc=nl`).
 */
export function demoMapping(base = "dc=voorbeeld,dc=nl"): string {
  return `# Entree attributes for pupils and staff of Stichting Voorbeeld.
version: 1
lookups:
  affiliation: { leerling: student, leerkracht: employee, directie: employee, "intern begeleider": staff, "conciërge": staff }
  schoolName: { "11ZZ": Basisschool De Regenboog, "20DP": Basisschool Het Kompas }
person:
  key: "uid={{ attrs.uid | dn }},ou=people,${base}"
  attributes:
    objectClass: [inetOrgPerson, eduPerson]
    uid: "{{ givenName | initial | lower | ascii }}.{{ tussenvoegsel | lower | ascii | replace '[^a-z]' '' | default '' }}{{ surname | lower | ascii | replace '[^a-z0-9]' '' }}@{{ vars.realm }}"
    givenName: "{{ givenName }}"
    sn: "{{ surname }}"
    nlEduPersonTussenvoegsels: { value: "{{ tussenvoegsel }}", when: "tussenvoegsel" }
    cn:
      - { value: "{{ givenName }} {{ tussenvoegsel }} {{ surname }}", when: "tussenvoegsel" }
      - { value: "{{ givenName }} {{ surname }}", when: "not tussenvoegsel" }
    displayName:
      - { value: "{{ givenName }} {{ tussenvoegsel }} {{ surname }}", when: "tussenvoegsel" }
      - { value: "{{ givenName }} {{ surname }}", when: "not tussenvoegsel" }
    mail: { value: "{{ mail | lower }}", when: "mail" }
    eduPersonAffiliation: "{{ roles | lookup 'affiliation' }}"
    employeeNumber: "{{ number }}"
    nlEduPersonHomeOrganizationId: "{{ brin }}"
    nlEduPersonHomeOrganizationBranchId: { value: "{{ brin }}{{ vestiging }}", when: "vestiging" }
    nlEduPersonHomeOrganization: "{{ brin | lookup 'schoolName' }}"
group:
  key: "cn={{ name | dn }},ou=groups,${base}"
  attributes:
    objectClass: [groupOfNames]
    cn: "{{ name }}"
`;
}
