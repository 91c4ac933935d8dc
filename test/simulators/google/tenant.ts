import { Random } from "../graph/random.js";
import { Workspace, type WsMember, type WsUser } from "./workspace.js";

/** What tenant to generate; the same spec gives the same account on every machine. */
export interface TenantSpec {
  seed: number;
  users: number;
  /** Groups in all (at least the fixed ones); default about one per 20 users. */
  groups?: number;
  /** Direct user memberships to reach in all (class groups, then extra ones at random). */
  memberships?: number;
  /** Members of the largest group (default 1,200, capped at the users). */
  bigGroup?: number;
}

export const SIM_CUSTOMER_ID = "C03az79cb";
export const SIM_DOMAINS = ["po-voorbeeld.nl", "leerling.po-voorbeeld.nl"];
export const SIM_ADMIN = "beheer@po-voorbeeld.nl";
export const SIM_NON_ADMIN = "juf.anna@po-voorbeeld.nl";
export const SCHEMA = "EntreeFederatie";

/** The schools: BRIN, name, org unit. */
export const SCHOOLS = [
  { brin: "11ZZ", name: "OBS De Regenboog", ou: "/Scholen/De Regenboog" },
  { brin: "20DP", name: "CBS Het Kompas", ou: "/Scholen/Het Kompas" },
  { brin: "31KL", name: "OBS De Vlinderboom", ou: "/Scholen/De Vlinderboom" },
  { brin: "99DE", name: "IKC Het Palet", ou: "/Scholen/Het Palet" },
];

const GIVEN = [
  "Daan",
  "Zoë",
  "Noël",
  "Anaïs",
  "Sem",
  "Lotte",
  "Chloé",
  "Mila",
  "Bram",
  "Iñés",
  "Fenna",
  "Youssef",
  "Daniël",
  "Saar",
];
const FAMILY = [
  "van den Berg",
  "de Vries",
  "Jansen",
  "’t Hart",
  "van Dijk",
  "Bakker",
  "El Amrani",
  "de Jong",
  "Visser",
  "Müller",
  "van der Meer",
  "Öztürk",
  "Smit",
  "de Boer",
];

/** A 21-digit user id, as Google's are. */
function userId(rnd: Random): string {
  let s = String(1 + rnd.int(9));
  for (let i = 0; i < 20; i++) s += String(rnd.int(10));
  return s;
}

/** A 15-character group id, as Google's are (`0` then hex-like characters). */
function groupId(rnd: Random): string {
  const chars = "0123456789abcdefghijklmnopqrstuvwxyz";
  let s = "0";
  for (let i = 0; i < 14; i++) s += chars[rnd.int(chars.length)];
  return s;
}

/** One generated user, with the odd shapes real accounts have. */
function makeUser(rnd: Random, i: number): WsUser {
  const school = SCHOOLS[i % SCHOOLS.length] as (typeof SCHOOLS)[number];
  const staff = i % 10 === 0;
  const given = rnd.pick(GIVEN);
  const family = rnd.pick(FAMILY);
  const local = `${given}.${family}`
    .normalize("NFD")
    .replace(/[^A-Za-z.]/g, "")
    .toLowerCase();
  const domain = staff ? SIM_DOMAINS[0] : SIM_DOMAINS[1];
  const user: WsUser = {
    id: userId(rnd),
    primaryEmail: `${local}.${i}@${domain}`,
    name: {
      givenName: rnd.chance(0.05) ? ` ${given}  ` : given,
      familyName: family,
      fullName: `${given} ${family}`,
    },
    suspended: rnd.chance(0.03),
    archived: rnd.chance(0.01),
    orgUnitPath: staff ? `${school.ou}/Personeel` : `${school.ou}/Leerlingen/Groep ${1 + (i % 8)}`,
    isAdmin: false,
    creationTime: new Date(Date.UTC(2020, 7, 1) + i * 60_000).toISOString(),
    customSchemas: {
      [SCHEMA]: {
        BRIN: school.brin,
        Schoolnaam: school.name,
        Leerlingnummer: String(100000 + i),
        Rol: staff ? rnd.pick(["leerkracht", "onderwijsassistent", "directeur"]) : "leerling",
      },
    },
  };
  if (rnd.chance(0.03)) user.name = { givenName: given, fullName: given };
  if (rnd.chance(0.1)) user.aliases = [`${local}.alias${i}@${SIM_DOMAINS[0]}`];
  if (rnd.chance(0.2)) user.externalIds = [{ value: `LAS-${i}`, type: "organization" }];
  if (staff)
    user.organizations = [{ name: school.name, department: school.name, title: "Leerkracht", primary: true }];
  return user;
}

/** Adds the users, with the admins and the invalid records at fixed places. */
function addUsers(ws: Workspace, rnd: Random, n: number): WsUser[] {
  const users: WsUser[] = [];
  for (let i = 0; i < n; i++) users.push(makeUser(rnd, i));
  const admin = users[0];
  if (admin)
    Object.assign(admin, { primaryEmail: SIM_ADMIN, isAdmin: true, suspended: false, archived: false });
  const teacher = users[10];
  if (teacher) Object.assign(teacher, { primaryEmail: SIM_NON_ADMIN, suspended: false, archived: false });
  const bad = (k: number, field: string, value: unknown) => {
    const u = users[k];
    if (u?.customSchemas?.[SCHEMA]) u.customSchemas[SCHEMA][field] = value;
  };
  bad(7, "BRIN", "11zz");
  bad(13, "Leerlingnummer", 4711);
  for (const u of users) ws.putUser(u, false);
  return users;
}

function member(id: string, type: WsMember["type"] = "USER", email?: string): WsMember {
  return { id, type, role: "MEMBER", status: "ACTIVE", ...(email ? { email } : {}) };
}

/**
 * Generates an account: four schools with class groups (pupils), school groups with the
 * classes nested in them, a staff group, two groups nested in each other (a cycle), a big
 * group, a group with the CUSTOMER member, one with external members, one with an HTML-looking
 * name, and filler groups and memberships up to the spec.
 * @example const ws = generateTenant({ seed: 1, users: 500 });
 */
export function generateTenant(spec: TenantSpec): Workspace {
  const rnd = new Random(spec.seed);
  const ws = new Workspace(SIM_CUSTOMER_ID, SIM_DOMAINS);
  const users = addUsers(ws, rnd, spec.users);
  const addGroup = (email: string, name: string, description?: string) => {
    const id = groupId(rnd);
    ws.putGroup(
      { id, email: `${email}@${SIM_DOMAINS[0]}`, name, ...(description ? { description } : {}) },
      false,
    );
    return id;
  };
  const addUser = (g: string, u: WsUser) => ws.addMember(g, member(u.id, "USER", u.primaryEmail), false);
  let memberships = 0;
  const schoolGroups = SCHOOLS.map((s) =>
    addGroup(`leerlingen-${s.brin.toLowerCase()}`, `Leerlingen ${s.name}`),
  );
  const classes = new Map<string, string>();
  users.forEach((u) => {
    const m = /^\/Scholen\/([^/]+)\/Leerlingen\/Groep (\d)$/.exec(u.orgUnitPath);
    if (!m) return;
    const key = `${m[1]}|${m[2]}`;
    let g = classes.get(key);
    if (!g) {
      const s = SCHOOLS.find((x) => x.ou === `/Scholen/${m[1]}`) as (typeof SCHOOLS)[number];
      g = addGroup(`groep${m[2]}-${s.brin.toLowerCase()}`, `Groep ${m[2]} ${s.name}`, "klas");
      classes.set(key, g);
      ws.addMember(
        schoolGroups[SCHOOLS.indexOf(s)] as string,
        member(g, "GROUP", `groep${m[2]}-${s.brin.toLowerCase()}@${SIM_DOMAINS[0]}`),
        false,
      );
    }
    if (addUser(g, u)) memberships++;
  });
  const staff = addGroup("personeel", "Personeel");
  for (const u of users) if (u.orgUnitPath.endsWith("/Personeel") && addUser(staff, u)) memberships++;
  const a = addGroup("werkgroep-a", "Werkgroep A");
  const b = addGroup("werkgroep-b", "Werkgroep B");
  ws.addMember(a, member(b, "GROUP"), false);
  ws.addMember(b, member(a, "GROUP"), false);
  for (const u of users.slice(1, 4)) if (addUser(a, u)) memberships++;
  for (const u of users.slice(4, 6)) if (addUser(b, u)) memberships++;
  const big = addGroup("nieuwsbrief", "Nieuwsbrief");
  for (const u of users.slice(0, Math.min(users.length, spec.bigGroup ?? 1200)))
    if (addUser(big, u)) memberships++;
  const everyone = addGroup("iedereen", "Iedereen");
  ws.addMember(everyone, { id: SIM_CUSTOMER_ID, type: "CUSTOMER", role: "MEMBER" }, false);
  const outside = addGroup("mr-ouders", "MR en ouders");
  ws.addMember(
    outside,
    { email: "ouder.extern@gmail.example", type: "USER", role: "MEMBER", status: "ACTIVE" },
    false,
  );
  ws.addMember(outside, member("118000000000000000001", "USER", "voorzitter@stichting.example"), false);
  if (users[2]) addUser(outside, users[2]);
  addGroup("ouders-html", '<b>Ouders & "Verzorgers"</b><script>alert(1)</script>');
  const wanted = Math.max(spec.groups ?? Math.ceil(spec.users / 20), ws.groups.size);
  const fillers: string[] = [];
  while (ws.groups.size < wanted) fillers.push(addGroup(`team-${ws.groups.size}`, `Team ${ws.groups.size}`));
  const target = spec.memberships ?? memberships;
  const pool = fillers.length > 0 ? fillers : [staff];
  for (let tries = 0; memberships < target && tries < target * 3 && users.length > 0; tries++) {
    const u = rnd.pick(users);
    if (addUser(rnd.pick(pool), u)) memberships++;
  }
  return ws;
}
