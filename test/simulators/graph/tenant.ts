import { Directory, type SimUser } from "./directory.js";
import { Random } from "./random.js";

/** What tenant to generate. The same spec always gives the same tenant. */
export interface TenantSpec {
  seed?: number;
  users: number;
  groups?: number;
  /** Total direct user memberships wanted (approximate, at least the fixed shapes below). */
  memberships?: number;
  /** Members of the largest group (default min(50,000, users)). */
  bigGroup?: number;
  /** How many groups user 0 is a member of (default min(500, groups)). */
  heavyUserGroups?: number;
  /** Number of schools for School Data Sync (0 = none). */
  schools?: number;
  /** The application id whose directory extension carries the ECK iD. */
  extensionAppId?: string;
}

/** The verified domains of every generated tenant. */
export const TENANT_DOMAINS = ["school.example", "leerling.school.example"] as const;
export const TENANT_INITIAL_DOMAIN = "voorbeeld.onmicrosoft.com";
export const DEFAULT_EXTENSION_APP_ID = "0b7e6f1c2d3a4b5c8d9e0f1a2b3c4d5e";

const GIVEN = [
  "Daan",
  "Émile",
  "Zoë",
  "Noël",
  "Sanne",
  "Łukasz",
  "Ayşe",
  "Jürgen",
  "Fleur",
  "Mohammed",
  "Chloé",
  "Bram",
  "Søren",
  "Iñés",
  "Luuk",
  "Anaïs",
  "Yusuf",
  "Eva",
];
const SURNAMES = [
  "de Vries",
  "Jansen",
  "van den Berg",
  "Özdemir",
  "Bakker",
  "Nguyễn",
  "El Amrani",
  "Visser",
  "Smit",
  "Müller",
  "Dąbrowski",
  "O'Neill",
  "Meijer",
  "de Jong",
  "Çelik",
  "Mulder",
];
const SCHOOL_IDS = ["12AB", "34CD01", "SIS-0042", "56EF"];

function ascii(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ł/g, "l")
    .replace(/Ł/g, "L")
    .replace(/[^A-Za-z0-9]/g, "")
    .toLowerCase();
}

function immutableId(rnd: Random): string {
  return Buffer.from(rnd.guid().replace(/-/g, ""), "hex").toString("base64");
}

/**
 * Generates a tenant: guests with `#EXT#` UPNs, disabled users, unicode names, duplicate mail,
 * users in no group and one user in many, a very large group, nested and circular groups,
 * owners, two administrative units and (optionally) School Data Sync schools and classes.
 *
 * @example
 * const dir = generateTenant({ seed: 7, users: 1000, groups: 50 });
 */
export function generateTenant(spec: TenantSpec): Directory {
  const rnd = new Random(spec.seed ?? 1);
  const dir = new Directory();
  const nUsers = spec.users;
  const nGroups = Math.max(spec.groups ?? Math.max(8, Math.ceil(nUsers / 20)), 8);
  const ext = `extension_${spec.extensionAppId ?? DEFAULT_EXTENSION_APP_ID}_eckId`;
  const nSchools = spec.schools ?? 0;
  const userIds: string[] = [];
  const roles: string[] = [];

  for (let i = 0; i < nUsers; i++) {
    const id = rnd.guid();
    const givenName = rnd.pick(GIVEN);
    const surname = rnd.pick(SURNAMES);
    const role = i % 20 === 1 ? "teacher" : i % 20 === 2 ? "staff" : "student";
    const guest = i > 0 && rnd.chance(0.02);
    const domain = role === "student" ? TENANT_DOMAINS[1] : TENANT_DOMAINS[0];
    const local = `${ascii(givenName)}.${ascii(surname)}${i}`;
    const user: SimUser = {
      id,
      userPrincipalName: guest ? `${local}_gmail.com#EXT#@${TENANT_INITIAL_DOMAIN}` : `${local}@${domain}`,
      displayName: `${givenName} ${surname}`,
      givenName,
      surname,
      mail: guest ? `${local}@gmail.com` : `${local}@${domain}`,
      accountEnabled: !rnd.chance(0.05),
      userType: guest ? "Guest" : "Member",
      employeeType: guest ? null : role,
      jobTitle: role === "student" ? "Leerling" : role === "teacher" ? "Leraar" : "Administratie",
      department: nSchools > 0 ? `School ${i % nSchools}` : "Onderwijs",
      companyName: "Stichting Voorbeeld",
      officeLocation: `Gebouw ${String.fromCharCode(65 + (i % 3))}`,
      employeeId: role === "student" && !guest ? String(100000 + i) : null,
      onPremisesImmutableId: rnd.chance(0.6) ? immutableId(rnd) : null,
      businessPhones: [],
      mobilePhone: null,
      preferredLanguage: "nl-NL",
    };
    if (role === "student" && !guest) user[ext] = `https://ketenid.nl/201703/${rnd.guid().replace(/-/g, "")}`;
    const prev = userIds.length > 0 ? dir.users.get(userIds[userIds.length - 1] as string) : undefined;
    if (i % 500 === 499 && prev) user.mail = prev.mail;
    dir.users.set(id, user);
    userIds.push(id);
    roles.push(role);
  }

  const groupIds: string[] = [];
  for (let g = 0; g < nGroups; g++) {
    const id = rnd.guid();
    const name =
      g === 0
        ? "Alle leerlingen"
        : g === 1
          ? "Medewerkers"
          : `Groep ${g} ${rnd.pick(["Ω", "ä", "", "ß"])}`.trim();
    dir.groups.set(id, {
      id,
      props: {
        id,
        displayName: name,
        description: g % 3 === 0 ? null : `Groep nummer ${g}`,
        mailNickname: `groep${g}`,
        mail: g % 2 === 0 ? `groep${g}@${TENANT_DOMAINS[0]}` : null,
        mailEnabled: g % 2 === 0,
        securityEnabled: true,
        groupTypes: g % 2 === 0 ? ["Unified"] : [],
        visibility: "Private",
      },
      members: new Set(),
      owners: new Set(),
    });
    groupIds.push(id);
  }
  const group = (g: number) =>
    dir.groups.get(groupIds[g] as string) as NonNullable<ReturnType<typeof dir.groups.get>>;

  const big = Math.min(spec.bigGroup ?? 50_000, nUsers);
  for (let i = 0; i < big; i++) group(0).members.add(userIds[i] as string);
  const heavy = Math.min(spec.heavyUserGroups ?? 500, nGroups);
  for (let g = 0; g < heavy; g++) group(g).members.add(userIds[0] as string);
  // Nesting: 1 ⊃ {2, 3}; a cycle 4 ⊃ 5 ⊃ 4; 6 ⊃ 4; 3 ⊃ 7.
  for (const [parent, child] of [
    [1, 2],
    [1, 3],
    [4, 5],
    [5, 4],
    [6, 4],
    [3, 7],
  ] as const) {
    group(parent).members.add(groupIds[child] as string);
  }

  let placed = [...dir.groups.values()].reduce((n, g) => n + g.members.size, 0);
  const wanted = spec.memberships ?? nUsers * 2;
  // Users with index ≡ 3 (mod 10) stay in no group at all (beyond the big group when it holds them).
  while (placed < wanted && nGroups > 1) {
    const u = rnd.int(nUsers);
    if (u % 10 === 3 || u === 0) continue;
    const g = 1 + rnd.int(nGroups - 1);
    const members = group(g).members;
    if (members.has(userIds[u] as string)) continue;
    members.add(userIds[u] as string);
    placed++;
  }
  for (let g = 0; g < nGroups; g++) {
    const owner = userIds[(1 + g * 20) % nUsers] as string;
    group(g).owners.add(owner);
    if (g === 0 && nUsers > 21) group(g).owners.add(userIds[21] as string);
  }

  for (let a = 0; a < 2; a++) {
    const id = rnd.guid();
    const members = new Set<string>();
    for (let i = a; i < nUsers; i += 2) members.add(userIds[i] as string);
    members.add(groupIds[a + 2] as string);
    dir.administrativeUnits.set(id, { id, displayName: a === 0 ? "Locatie Noord" : "Locatie Zuid", members });
  }

  generateEducation(dir, rnd, nSchools, userIds, roles);
  dir.invalidate();
  return dir;
}

function generateEducation(
  dir: Directory,
  rnd: Random,
  nSchools: number,
  userIds: string[],
  roles: string[],
): void {
  const schoolIds: string[] = [];
  for (let s = 0; s < nSchools; s++) {
    const id = rnd.guid();
    const externalId = SCHOOL_IDS[s % SCHOOL_IDS.length] as string;
    dir.schools.set(id, {
      id,
      displayName: `School ${s}`,
      externalId,
      schoolNumber: externalId,
      externalSource: "sis",
    });
    schoolIds.push(id);
  }
  if (nSchools === 0) return;
  const classOf = new Map<string, string>();
  const perSchool = new Map<string, number>();
  userIds.forEach((uid, i) => {
    const user = dir.users.get(uid) as SimUser;
    if (user.userType === "Guest" || roles[i] === "staff" || i % 50 === 7) return;
    const schoolId = schoolIds[i % nSchools] as string;
    const role = roles[i] as string;
    const props: Record<string, unknown> = {
      id: uid,
      displayName: user.displayName,
      userPrincipalName: user.userPrincipalName,
      primaryRole: role,
      externalSource: "sis",
      student:
        role === "student"
          ? {
              studentNumber: String(100000 + i),
              externalId: `LL${i}`,
              grade: String(1 + (i % 8)),
              graduationYear: String(2030 + (i % 8)),
            }
          : null,
      teacher: role === "teacher" ? { teacherNumber: `T${i}`, externalId: `LK${i}` } : null,
    };
    dir.educationUsers.set(uid, { id: uid, schoolIds: [schoolId], props });
    if (role !== "student") return;
    const n = perSchool.get(schoolId) ?? 0;
    perSchool.set(schoolId, n + 1);
    const key = `${schoolId}:${Math.floor(n / 25)}`;
    let classId = classOf.get(key);
    if (!classId) {
      classId = rnd.guid();
      classOf.set(key, classId);
      const code = `${1 + (Math.floor(n / 25) % 8)}${String.fromCharCode(65 + Math.floor(n / 200))}`;
      dir.classes.set(classId, {
        id: classId,
        schoolId,
        props: {
          id: classId,
          displayName: `Groep ${code}`,
          classCode: code,
          externalId: `K-${key}`,
          externalSource: "sis",
          mailNickname: `klas${classOf.size}`,
        },
        members: new Set(),
      });
    }
    dir.classes.get(classId)?.members.add(uid);
  });
}
