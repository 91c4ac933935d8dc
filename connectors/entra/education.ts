import type { EntraConfig } from "./config.js";
import type { GraphClient, Json } from "./http.js";
import type { EducationFacts } from "./map.js";

/** A School Data Sync class, to become a Group of kind `class`. */
export interface EducationClass {
  raw: Json;
  members: string[];
  brin?: string;
}

/** What School Data Sync adds: facts per user, and classes. */
export interface Education {
  facts: Map<string, EducationFacts>;
  classes: Map<string, EducationClass>;
}

/** A BRIN number (4 characters) optionally followed by a 2-digit vestiging. */
const BRIN = /^(\d{2}[A-Z]{2})(\d{2})?$/;

/** The BRIN in a school's external id or school number, if it looks like one. */
export function brinOf(school: Json): string | undefined {
  for (const key of ["externalId", "schoolNumber"]) {
    const v = school[key];
    if (typeof v === "string") {
      const m = BRIN.exec(v.trim().toUpperCase());
      if (m) return m[1];
    }
  }
  return undefined;
}

function ids(items: Json[]): string[] {
  return items.map((i) => i.id).filter((id): id is string => typeof id === "string");
}

/** Reads schools, their users, education users and classes with members. */
export async function loadEducation(cfg: EntraConfig, client: GraphClient): Promise<Education> {
  const top = `$top=${cfg.pageSize}`;
  const schools = await client.all(`education/schools?${top}`);
  const brins = new Map<string, string | undefined>(schools.map((s) => [String(s.id), brinOf(s)]));
  const schoolsOf = new Map<string, string[]>();
  await Promise.all(
    schools.map(async (s) => {
      for (const uid of ids(await client.all(`education/schools/${s.id}/users?$select=id&${top}`))) {
        schoolsOf.set(uid, [...(schoolsOf.get(uid) ?? []), String(s.id)]);
      }
    }),
  );
  const facts = new Map<string, EducationFacts>();
  for (const u of await client.all(`education/users?${top}`)) {
    if (typeof u.id !== "string") continue;
    const student = (u.student ?? {}) as Json;
    const teacher = (u.teacher ?? {}) as Json;
    const mySchools = (schoolsOf.get(u.id) ?? []).sort();
    const f: EducationFacts = { schools: mySchools };
    if (typeof u.primaryRole === "string" && u.primaryRole !== "unknownFutureValue") f.role = u.primaryRole;
    const number = student.studentNumber ?? teacher.teacherNumber;
    if (typeof number === "string" && number !== "") f.number = number;
    if (typeof student.grade === "string" && student.grade !== "") f.grade = student.grade;
    const brin = mySchools.map((s) => brins.get(s)).find((b) => b !== undefined);
    if (brin) f.brin = brin;
    facts.set(u.id, f);
  }
  const classes = new Map<string, EducationClass>();
  await Promise.all(
    (await client.all(`education/classes?${top}`)).map(async (c) => {
      const [members, classSchools] = await Promise.all([
        client.all(`education/classes/${c.id}/members?$select=id&${top}`),
        client.all(`education/classes/${c.id}/schools?$select=id`),
      ]);
      const brin = ids(classSchools)
        .map((s) => brins.get(s))
        .find((b) => b !== undefined);
      classes.set(String(c.id), { raw: c, members: ids(members), ...(brin ? { brin } : {}) });
    }),
  );
  return { facts, classes };
}
