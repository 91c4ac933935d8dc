/**
 * Generated Entra ID tenants for the example institutions in `mappings/examples/`: Graph user
 * objects as the Graph simulator serves them, groups, and per user the facts the institution
 * knows to be true (school, affiliation, name parts, ECK iD). Dirty users carry the review
 * entries they must produce. Everything is deterministic for a seed; no real person is in here.
 */
import { Directory, type SimUser } from "../simulators/graph/index.js";
import { Random } from "../simulators/graph/random.js";

/** What the institution knows about a clean user; the mapped entry must agree with it. */
export interface Truth {
  affiliation: string[];
  givenName: string;
  /** Entree: the surname without tussenvoegsel. SURFconext: the surname as written. */
  sn: string;
  tussenvoegsel?: string;
  employeeNumber?: string;
  /** nlEduPersonHomeOrganizationId and …BranchId (Entree). */
  brin?: string;
  branch?: string;
  eckId?: string;
  personalCode?: string;
  preferredLanguage?: string;
}

/** A review entry a dirty user must produce. */
export interface ExpectedReview {
  field: string;
  rule: string;
  severity: "error" | "warning";
}

/** A user that must end in the review list (errors) or be reported (warnings only). */
export interface DirtyUser {
  id: string;
  what: string;
  expect: ExpectedReview[];
}

/** A tenant: the simulator's directory plus what the test knows about its users. */
export interface Tenant {
  directory: Directory;
  truth: Map<string, Truth>;
  dirty: DirtyUser[];
  /** Group display name → ids of the users directly in it. */
  groups: Map<string, string[]>;
}

/** Name shapes of Dutch schools: [given, surname as Entra holds it, surname without tussenvoegsel, tussenvoegsel]. */
const NAMES: [string, string, string, string?][] = [
  ["Daan", "de Vries", "Vries", "de"],
  ["Zoë", "van den Berg", "Berg", "van den"],
  ["Emma", "Jansen", "Jansen"],
  ["Sem", "van Dijk", "Dijk", "van"],
  ["Julia", "'t Hart", "Hart", "'t"],
  ["Lucas", "van 't Hof", "Hof", "van 't"],
  ["Mila", "Çelik", "Çelik"],
  ["Yusuf", "El Amrani", "El Amrani"],
  ["Noor", "ter Horst", "Horst", "ter"],
  ["Finn", "van der Linden-Bakker", "Linden-Bakker", "van der"],
  ["Tess", "Nguyễn", "Nguyễn"],
  ["Levi", "O'Neill", "O'Neill"],
  ["Saar", "in 't Veld", "Veld", "in 't"],
  ["Bram", "d'Ancona", "Ancona", "d'"],
  ["Fenna", "Dos Santos", "Santos", "dos"],
  ["Liam", "Yılmaz", "Yılmaz"],
  ["Anaïs", "Le Roux", "Roux", "le"],
  ["Łukasz", "Dąbrowski", "Dąbrowski"],
  ["Sophie", "de Groot", "Groot", "de"],
  ["Thijs", "Van Leeuwen", "Leeuwen", "van"],
  ["Jesse", "Denneman", "Denneman"],
  ["Lotte", "Terpstra", "Terpstra"],
  ["Noah", "Vandenberghe", "Vandenberghe"],
  ["Chloé", "Smit-de Wit", "Smit-de Wit"],
  ["Mohammed", "Bakker", "Bakker"],
  ["Iñés", "García López", "García López"],
];

/** What a login name is made of: lower-case ASCII letters, digits, `-`, and the apostrophe of O'Neill. */
function loginPart(s: string): string {
  return s
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/ł/g, "l")
    .replace(/ı/g, "i")
    .toLowerCase()
    .replace(/(?<!^o)'/g, "")
    .replace(/[^a-z0-9'-]/g, "");
}

function hex(rnd: Random, n: number): string {
  return Array.from({ length: n }, () => rnd.int(16).toString(16)).join("");
}

/** A well-formed production ECK iD. */
export function eckId(rnd: Random): string {
  return `https://ketenid.nl/201703/${hex(rnd, 128)}`;
}

/** A Graph user with every property the connector reads; `null` where Graph has no value. */
function user(rnd: Random, props: Partial<SimUser> & { userPrincipalName: string }): SimUser {
  return {
    id: rnd.guid(),
    displayName: "",
    accountEnabled: true,
    givenName: null,
    surname: null,
    mail: null,
    employeeId: null,
    employeeType: null,
    jobTitle: null,
    department: null,
    companyName: null,
    officeLocation: null,
    onPremisesImmutableId: null,
    userType: "Member",
    preferredLanguage: null,
    businessPhones: [],
    mobilePhone: null,
    ...props,
  };
}

class Builder {
  readonly directory = new Directory();
  readonly truth = new Map<string, Truth>();
  readonly dirty: DirtyUser[] = [];
  readonly groups = new Map<string, string[]>();
  readonly rnd: Random;

  constructor(seed: number) {
    this.rnd = new Random(seed);
  }

  add(u: SimUser, truth?: Truth): SimUser {
    this.directory.putUser(u);
    if (truth) this.truth.set(u.id, truth);
    return u;
  }

  addDirty(u: SimUser, what: string, expect: ExpectedReview[]): SimUser {
    this.directory.putUser(u);
    this.dirty.push({ id: u.id, what, expect });
    return u;
  }

  member(group: string, userId: string): void {
    const list = this.groups.get(group) ?? [];
    list.push(userId);
    this.groups.set(group, list);
  }

  build(): Tenant {
    for (const [name, members] of this.groups) {
      const id = this.rnd.guid();
      this.directory.putGroup(id, {
        displayName: name,
        description: `${name} (generated)`,
        mailNickname: loginPart(name),
        mail: null,
        mailEnabled: false,
        securityEnabled: true,
        groupTypes: [],
        visibility: "Private",
      });
      for (const m of members) this.directory.addMember(id, m);
    }
    this.directory.invalidate();
    return { directory: this.directory, truth: this.truth, dirty: this.dirty, groups: this.groups };
  }
}

const error = (field: string, rule: string): ExpectedReview => ({ field, rule, severity: "error" });
const warning = (field: string, rule: string): ExpectedReview => ({ field, rule, severity: "warning" });

// ---------------------------------------------------------------------------------------------
// po-bestuur-entra: four primary schools (five locations) of one board.

const PO_SCHOOLS = [
  { department: "De Regenboog", company: "OBS De Regenboog", brin: "11ZZ", branch: "11ZZ00" },
  { department: "Het Kompas", company: "CBS Het Kompas", brin: "20DP", branch: "20DP00" },
  { department: "Het Kompas Zuid", company: "CBS Het Kompas, locatie Zuid", brin: "20DP", branch: "20DP01" },
  { department: "De Vlinderboom", company: "OBS De Vlinderboom", brin: "31KL", branch: "31KL00" },
  { department: "Het Palet", company: "IKC Het Palet", brin: "99DE", branch: "99DE00" },
];

/** Job titles as HR writes them (case varies) and the affiliation the board gives them in Entree. */
const PO_TITLES: [string, string][] = [
  ["Leerkracht", "employee"],
  ["leerkracht", "employee"],
  ["Leraar", "employee"],
  ["Intern Begeleider", "employee"],
  ["Directeur", "employee"],
  ["Locatieleider", "employee"],
  ["Onderwijsassistent", "staff"],
  ["Conciërge", "staff"],
  ["Administratief medewerker", "staff"],
  ["ICT-coördinator", "staff"],
  ["Stagiair", "affiliate"],
];

/** The po-bestuur-entra tenant: `pupils` per location plus staff, and the dirty users. */
export function poTenant(pupilsPerLocation: number, seed = 4101): Tenant {
  const b = new Builder(seed);
  const { rnd } = b;
  let n = 0;
  for (const school of PO_SCHOOLS) {
    for (let i = 0; i < pupilsPerLocation; i++) {
      const [given, surname, sn, tv] = rnd.pick(NAMES);
      const number = String(140000 + n++);
      const klas = `Groep ${3 + (i % 6)}${school.branch.endsWith("01") ? "B" : "A"}`;
      const upn = `${loginPart(given)}.${loginPart(surname)}${number.slice(-4)}@leerling.po-voorbeeld.nl`;
      const u = b.add(
        user(rnd, {
          userPrincipalName: upn,
          displayName: `${given} ${surname}`,
          givenName: given,
          surname,
          mail: i % 3 === 0 ? upn : null,
          employeeId: number,
          // The provisioning writes "Leerling"; a few hand-made accounts say "leerling ".
          employeeType: i % 17 === 5 ? "leerling " : "Leerling",
          department: klas,
          companyName: school.company,
          accountEnabled: i % 29 !== 7,
        }),
        {
          affiliation: ["student"],
          givenName: given,
          sn,
          ...(tv ? { tussenvoegsel: tv } : {}),
          employeeNumber: number,
          brin: school.brin,
          branch: school.branch,
        },
      );
      b.member(`${klas} ${school.department}`, u.id);
      if (i < 3) b.member("ICT-pilot", u.id);
    }
    for (let i = 0; i < Math.max(4, Math.ceil(pupilsPerLocation / 12)); i++) {
      const [given, surname, sn, tv] = rnd.pick(NAMES);
      const [title, affiliation] = PO_TITLES[(n + i) % PO_TITLES.length] as [string, string];
      const number = `P${2000 + n++}`;
      const upn = `${loginPart(given)}.${loginPart(surname)}${number.slice(1)}@po-voorbeeld.nl`;
      const u = b.add(
        user(rnd, {
          userPrincipalName: upn,
          displayName: `${given} ${surname}`,
          givenName: given,
          surname,
          mail: upn,
          employeeId: number,
          employeeType: i % 2 === 0 ? "Medewerker" : null,
          jobTitle: title,
          department: school.department,
          companyName: "Stichting Primair Onderwijs Voorbeeld",
        }),
        {
          affiliation: [affiliation],
          givenName: given,
          sn,
          ...(tv ? { tussenvoegsel: tv } : {}),
          employeeNumber: number,
          brin: school.brin,
          branch: school.branch,
        },
      );
      b.member(`Team ${school.department}`, u.id);
      if (i === 0) b.member("ICT-pilot", u.id);
    }
  }

  const staff = (upn: string, props: Partial<SimUser>) =>
    user(rnd, {
      userPrincipalName: upn,
      displayName: "Sam Dirk",
      givenName: "Sam",
      surname: "Dirk",
      mail: upn,
      employeeId: `P${9000 + b.dirty.length}`,
      jobTitle: "Leerkracht",
      department: "De Regenboog",
      companyName: "Stichting Primair Onderwijs Voorbeeld",
      ...props,
    });
  b.addDirty(
    staff("mohammed.a@leerling.po-voorbeeld.nl", {
      displayName: "Mohammed",
      givenName: "Mohammed",
      surname: null,
      mail: null,
      employeeId: "149001",
      employeeType: "Leerling",
      jobTitle: null,
      department: "Groep 7A",
      companyName: "OBS De Regenboog",
    }),
    "a pupil without a surname",
    [error("sn", "mapping")],
  );
  b.addDirty(staff("t.tovenaar@po-voorbeeld.nl", { jobTitle: "Tovenaar" }), "an unknown role", [
    error("eduPersonAffiliation", "mapping"),
  ]);
  b.addDirty(
    staff("b.bureau@po-voorbeeld.nl", { department: "Bestuursbureau" }),
    "a school that is in neither lookup table",
    [error("nlEduPersonHomeOrganizationBranchId", "mapping")],
  );
  b.addDirty(staff("jan,de.vries@po-voorbeeld.nl", {}), "a uid with a comma", [
    error("uid", "identifier-invalid"),
    error("uid", "identifier-unsafe"),
  ]);
  b.addDirty(
    staff("opa.jansen_gmail.com#EXT#@po-voorbeeld.onmicrosoft.com", {
      userType: "Guest",
      employeeId: null,
      jobTitle: null,
      mail: "opa.jansen@gmail.com",
    }),
    "a guest account without role or number",
    [error("employeeNumber", "mapping"), error("eduPersonAffiliation", "mapping")],
  );
  b.addDirty(staff("k.nummerloos@po-voorbeeld.nl", { employeeId: null }), "staff without employeeId", [
    error("employeeNumber", "mapping"),
  ]);
  b.addDirty(staff("e.bel@po-voorbeeld.nl", { givenName: "Emma\u0007" }), "a control character in a name", [
    error("givenName", "control-character"),
  ]);
  b.addDirty(staff("t.smeets@po-voorbeeld.nl", { mail: "info@po-voorbeeld.nl" }), "a shared mailbox (1)", [
    error("mail", "duplicate"),
  ]);
  b.addDirty(staff("l.smeets@po-voorbeeld.nl", { mail: "info@po-voorbeeld.nl" }), "a shared mailbox (2)", [
    error("mail", "duplicate"),
  ]);
  return b.build();
}

// ---------------------------------------------------------------------------------------------
// vo-school-eckid: one secondary school, two locations, ECK iDs in a directory extension.

const VO_LOCATIONS = [
  { office: "Locatie Centrum", branch: "99ZZ00" },
  { office: "Locatie Noord", branch: "99ZZ01" },
];
const VO_TITLES: [string, string][] = [
  ["Docent", "employee"],
  ["docent", "employee"],
  ["Mentor", "employee"],
  ["Teamleider", "employee"],
  ["Decaan", "employee"],
  ["TOA", "staff"],
  ["Conciërge", "staff"],
  ["Administratie", "staff"],
  ["ICT-medewerker", "staff"],
];

/** The vo-school-eckid tenant; `eckAttr` is the extension attribute named in the example's config. */
export function voTenant(pupils: number, eckAttr: string, seed = 4202): Tenant {
  const b = new Builder(seed);
  const { rnd } = b;
  for (let i = 0; i < pupils; i++) {
    const [given, surname, sn, tv] = rnd.pick(NAMES);
    const location = VO_LOCATIONS[i % 2] as (typeof VO_LOCATIONS)[number];
    const number = String(300000 + i);
    const upn = `${number}@leerling.voorbeeldcollege.nl`;
    const eck = eckId(rnd);
    const klas = `${["H", "V", "M"][i % 3]}${1 + (i % 5)}${"abc"[i % 3]}`;
    const u = b.add(
      user(rnd, {
        userPrincipalName: upn,
        displayName: `${given} ${surname}`,
        givenName: given,
        surname,
        mail: upn,
        employeeId: number,
        employeeType: "Leerling",
        department: klas,
        officeLocation: location.office,
        companyName: "Voorbeeld College",
        accountEnabled: i % 31 !== 4,
        [eckAttr]: eck,
      }),
      {
        affiliation: ["student"],
        givenName: given,
        sn,
        ...(tv ? { tussenvoegsel: tv } : {}),
        employeeNumber: number,
        brin: "99ZZ",
        branch: location.branch,
        eckId: eck,
      },
    );
    b.member(`Klas ${klas}`, u.id);
    if (i < 4) b.member("ICT-pilot", u.id);
  }
  const staffCount = Math.max(6, Math.ceil(pupils / 12));
  for (let i = 0; i < staffCount; i++) {
    const [given, surname, sn, tv] = rnd.pick(NAMES);
    const [title, affiliation] = VO_TITLES[i % VO_TITLES.length] as [string, string];
    const location = VO_LOCATIONS[i % 2] as (typeof VO_LOCATIONS)[number];
    const afkorting = `${loginPart(surname)
      .replace(/[^a-z]/g, "")
      .slice(0, 3)}${loginPart(given)[0]}${i}`;
    const number = String(7000 + i);
    const upn = `${afkorting}@voorbeeldcollege.nl`;
    // Some teachers have an ECK iD too (the school requested them for its staff).
    const eck = i % 4 === 0 ? eckId(rnd) : undefined;
    const u = b.add(
      user(rnd, {
        userPrincipalName: upn,
        displayName: `${given} ${surname}`,
        givenName: given,
        surname,
        mail: upn,
        employeeId: number,
        employeeType: "Medewerker",
        jobTitle: title,
        officeLocation: location.office,
        companyName: "Voorbeeld College",
        ...(eck ? { [eckAttr]: eck } : {}),
      }),
      {
        affiliation: [affiliation],
        givenName: given,
        sn,
        ...(tv ? { tussenvoegsel: tv } : {}),
        employeeNumber: number,
        brin: "99ZZ",
        branch: location.branch,
        ...(eck ? { eckId: eck } : {}),
      },
    );
    b.member("Personeel", u.id);
    if (i < 2) b.member("ICT-pilot", u.id);
  }

  const pupil = (number: string, props: Partial<SimUser>) =>
    user(rnd, {
      userPrincipalName: `${number}@leerling.voorbeeldcollege.nl`,
      displayName: "Sam Dirk",
      givenName: "Sam",
      surname: "Dirk",
      employeeId: number,
      employeeType: "Leerling",
      department: "H3a",
      officeLocation: "Locatie Centrum",
      [eckAttr]: eckId(rnd),
      ...props,
    });
  b.addDirty(
    pupil("390001", { [eckAttr]: `https://ketenid.nl/201703/${hex(rnd, 32)}` }),
    "an ECK iD of 32 instead of 128 hex digits",
    [error("eckId", "format:eckid")],
  );
  b.addDirty(
    pupil("390002", { [eckAttr]: `https://ketenid.nl/201703/${hex(rnd, 128).toUpperCase()}` }),
    "an ECK iD in upper-case hex",
    [error("eckId", "format:eckid")],
  );
  b.addDirty(pupil("390003", { employeeId: null }), "a pupil without leerlingnummer", [
    error("employeeNumber", "mapping"),
  ]);
  b.addDirty(
    pupil("390004", { employeeType: null, jobTitle: "Vrijwilliger", [eckAttr]: null }),
    "an unknown role",
    [error("eduPersonAffiliation", "mapping")],
  );
  b.addDirty(pupil("390005", { givenName: null }), "a pupil without a given name", [
    error("givenName", "mapping"),
  ]);
  b.addDirty(pupil("390006", { userPrincipalName: "de,vries@voorbeeldcollege.nl" }), "a uid with a comma", [
    error("uid", "identifier-invalid"),
    error("uid", "identifier-unsafe"),
  ]);
  b.addDirty(pupil("390007", { surname: "Dirk\u202e" }), "a bidirectional override in the surname", [
    error("surname", "bidi-control"),
  ]);
  return b.build();
}

// ---------------------------------------------------------------------------------------------
// universiteit-surfconext: students and staff of a university.

const UNI_STAFF: [type: string, title: string | null, affiliation: string[]][] = [
  ["Medewerker", "Hoogleraar", ["employee", "member", "faculty"]],
  ["Medewerker", "Bijzonder hoogleraar", ["employee", "member", "faculty"]],
  ["Medewerker", "Universitair docent", ["employee", "member", "faculty"]],
  ["Medewerker", "Universitair hoofddocent", ["employee", "member", "faculty"]],
  ["Medewerker", "Promovendus", ["employee", "member", "faculty"]],
  ["Medewerker", "Beleidsmedewerker", ["employee", "member"]],
  ["Ondersteunend medewerker", "Secretaresse", ["employee", "staff", "member"]],
  ["Ondersteunend medewerker", "Docentondersteuner", ["employee", "staff", "member"]],
  ["Gastmedewerker", "Gastonderzoeker", ["affiliate"]],
  ["Gastmedewerker", null, ["affiliate"]],
];
const FACULTIES = [
  "Faculteit der Geesteswetenschappen",
  "Faculteit Bètawetenschappen",
  "Faculteit Rechtsgeleerdheid",
];
const SHO = "uni-voorbeeld.nl";
const code = (kind: string, token: string) => `urn:schac:personalUniqueCode:nl:local:${SHO}:${kind}:${token}`;

/** The universiteit-surfconext tenant. */
export function uniTenant(students: number, seed = 4303): Tenant {
  const b = new Builder(seed);
  const { rnd } = b;
  const languages: [string | null, string | undefined][] = [
    ["nl-NL", "nl"],
    ["en-US", "en"],
    ["nl", "nl"],
    [null, undefined],
  ];
  for (let i = 0; i < students; i++) {
    const [given, surname] = rnd.pick(NAMES);
    const number = String(1200000 + i * 7);
    const [lang, language] = languages[i % languages.length] as [string | null, string | undefined];
    const u = b.add(
      user(rnd, {
        userPrincipalName: `s${number}@student.${SHO}`,
        displayName: `${given} ${surname}`,
        givenName: given,
        surname,
        mail: `${loginPart(given)}.${loginPart(surname)}.${number}@student.${SHO}`,
        employeeId: number,
        employeeType: "Student",
        department: FACULTIES[i % FACULTIES.length] as string,
        preferredLanguage: lang,
        accountEnabled: i % 37 !== 11,
      }),
      {
        affiliation: ["student", "member"],
        givenName: given,
        sn: surname,
        personalCode: code("studentid", number),
        ...(language ? { preferredLanguage: language } : {}),
      },
    );
    if (i < 5) b.member("IAM-pilot", u.id);
    b.member(`Studenten ${FACULTIES[i % FACULTIES.length]}`, u.id);
  }
  const staffCount = Math.max(UNI_STAFF.length, Math.ceil(students / 4));
  for (let i = 0; i < staffCount; i++) {
    const [given, surname] = rnd.pick(NAMES);
    const [type, title, affiliation] = UNI_STAFF[i % UNI_STAFF.length] as (typeof UNI_STAFF)[number];
    const number = type === "Gastmedewerker" ? null : String(500000 + i);
    const local = `${loginPart(given)[0]}.${loginPart(surname)}${i}`;
    const u = b.add(
      user(rnd, {
        userPrincipalName: `${local}@${SHO}`,
        displayName: `${given} ${surname}`,
        givenName: given,
        surname,
        mail: `${local}@${SHO}`,
        employeeId: number,
        employeeType: type,
        jobTitle: title,
        department: FACULTIES[i % FACULTIES.length] as string,
        preferredLanguage: "nl-NL",
      }),
      {
        affiliation,
        givenName: given,
        sn: surname,
        ...(number && affiliation.includes("employee") ? { personalCode: code("employeeid", number) } : {}),
        preferredLanguage: "nl",
      },
    );
    if (i < 3) b.member("IAM-pilot", u.id);
    b.member(`Medewerkers ${FACULTIES[i % FACULTIES.length]}`, u.id);
  }
  // The same local part in the staff and the student domain: a uid collision, resolved by numbering.
  for (const [upn, type, number] of [
    [`j.jansen@${SHO}`, "Medewerker", "599001"],
    [`j.jansen@student.${SHO}`, "Student", "1999001"],
  ] as const) {
    const staff = type === "Medewerker";
    b.add(
      user(rnd, {
        userPrincipalName: upn,
        displayName: "Joost Jansen",
        givenName: "Joost",
        surname: "Jansen",
        mail: upn,
        employeeId: number,
        employeeType: type,
        jobTitle: staff ? "Beleidsmedewerker" : null,
        preferredLanguage: "nl-NL",
      }),
      {
        affiliation: staff ? ["employee", "member"] : ["student", "member"],
        givenName: "Joost",
        sn: "Jansen",
        personalCode: code(staff ? "employeeid" : "studentid", number),
        preferredLanguage: "nl",
      },
    );
  }

  const student = (number: string, props: Partial<SimUser>) =>
    user(rnd, {
      userPrincipalName: `s${number}@student.${SHO}`,
      displayName: "Sam Dirk",
      givenName: "Sam",
      surname: "Dirk",
      mail: `s${number}@student.${SHO}`,
      employeeId: number,
      employeeType: "Student",
      preferredLanguage: "nl-NL",
      ...props,
    });
  b.addDirty(student("1900001", { userPrincipalName: `jan,jansen@${SHO}` }), "a uid with a comma", [
    error("uid", "identifier-invalid"),
    error("uid", "identifier-unsafe"),
  ]);
  b.addDirty(student("1900002", { employeeType: "Alumnus" }), "an unknown employeeType", [
    error("eduPersonAffiliation", "mapping"),
  ]);
  b.addDirty(student("1900003", { surname: null }), "no surname (inetOrgPerson needs sn)", [
    error("sn", "mapping"),
  ]);
  b.addDirty(student("1900004", { mail: `gedeeld@${SHO}` }), "a shared mail address (1)", [
    error("mail", "duplicate"),
  ]);
  b.addDirty(student("1900005", { mail: `gedeeld@${SHO}` }), "a shared mail address (2)", [
    error("mail", "duplicate"),
  ]);
  // Warnings only: SURFconext still accepts these persons, the report names them.
  b.addDirty(
    student("19 00006", { userPrincipalName: `s1900006@student.${SHO}`, mail: `s1900006@student.${SHO}` }),
    "a student number with a space",
    [warning("schacPersonalUniqueCode", "format:personal-unique-code")],
  );
  b.addDirty(student("1900007", { mail: null }), "no e-mail address", [warning("mail", "missing")]);
  b.addDirty(student("1900008", { preferredLanguage: "Nederlands" }), "a language that is not ISO 639-1", [
    warning("preferredLanguage", "format:language"),
  ]);
  return b.build();
}
