import { z } from "zod";
import { OverstapError } from "../errors.js";
import { parseDn } from "../model/dn.js";
import { AFFILIATIONS, isHostname } from "./profile-formats.js";

/**
 * One affiliation rule: when every given criterion matches (roles/groups: any listed value,
 * case-insensitive; ouPath/jobTitle: a case-insensitive regex), the rule's affiliations apply.
 * `stop` ends the evaluation after this rule matched.
 */
export const AffiliationRuleSchema = z.strictObject({
  match: z
    .strictObject({
      roles: z.array(z.string().min(1)).min(1).optional(),
      groups: z.array(z.string().min(1)).min(1).optional(),
      ouPath: z.string().min(1).optional(),
      jobTitle: z.string().min(1).optional(),
    })
    .refine((m) => Object.keys(m).length > 0, {
      message: "give at least one of roles, groups, ouPath, jobTitle",
    }),
  affiliation: z.array(z.enum(AFFILIATIONS)).min(1),
  stop: z.boolean().default(false),
});

/**
 * How to derive eduPersonAffiliation: ordered rules (every matching rule adds its values, in
 * rule order, until a `stop` rule matched), `default` when none matched, `member` added to
 * anyone who is student, faculty, staff or employee (the eduPerson and SURFconext convention)
 * when `addMember` is set, and `scope` (a hostname) for eduPersonScopedAffiliation.
 */
export const AffiliationConfigSchema = z.strictObject({
  rules: z.array(AffiliationRuleSchema),
  default: z.array(z.enum(AFFILIATIONS)).default([]),
  addMember: z.boolean().default(false),
  scope: z
    .string()
    .refine((s) => isHostname(s), { message: "expected a hostname such as voorbeeld.nl" })
    .optional(),
});
export type AffiliationConfig = z.infer<typeof AffiliationConfigSchema>;
export type AffiliationConfigInput = z.input<typeof AffiliationConfigSchema>;

/** What a person offers the affiliation rules. */
export interface AffiliationInput {
  roles?: readonly string[];
  groups?: readonly string[];
  ouPath?: string;
  jobTitle?: string;
}

/** Derived affiliations: plain values and, when a scope is configured, `value@scope`. */
export interface Affiliations {
  affiliation: string[];
  scoped: string[];
}

const MEMBER_OF = new Set(["student", "faculty", "staff", "employee"]);

function compileRegex(source: string, where: string): RegExp {
  try {
    return new RegExp(source, "iu");
  } catch (err) {
    throw new OverstapError(
      "MAPPING_INVALID",
      `${where}: not a valid regular expression: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}

function anyOf(wanted: readonly string[] | undefined, have: readonly string[] | undefined): boolean {
  if (!wanted) return true;
  if (!have || have.length === 0) return false;
  const set = new Set(have.map((v) => v.toLowerCase()));
  return wanted.some((w) => set.has(w.toLowerCase()));
}

/**
 * Compiles affiliation rules (parsed with {@link AffiliationConfigSchema}) into a function;
 * a bad regex throws MAPPING_INVALID naming the rule.
 * Example: `compileAffiliation({ rules: [{ match: { groups: ["Leerlingen"] }, affiliation:
 * ["student"], stop: false }], default: [], addMember: true, scope: "school.nl" })({ groups:
 * ["leerlingen"] })` → `{ affiliation: ["student", "member"], scoped: ["student@school.nl",
 * "member@school.nl"] }`.
 */
export function compileAffiliation(config: AffiliationConfig): (input: AffiliationInput) => Affiliations {
  const rules = config.rules.map((rule, i) => {
    const where = `affiliation rule ${i + 1}`;
    const ouPath =
      rule.match.ouPath === undefined ? undefined : compileRegex(rule.match.ouPath, `${where} ouPath`);
    const jobTitle =
      rule.match.jobTitle === undefined ? undefined : compileRegex(rule.match.jobTitle, `${where} jobTitle`);
    return { ...rule, ouPathRe: ouPath, jobTitleRe: jobTitle };
  });
  return (input) => {
    const values = new Set<string>();
    for (const rule of rules) {
      if (!anyOf(rule.match.roles, input.roles) || !anyOf(rule.match.groups, input.groups)) continue;
      if (rule.ouPathRe && !(input.ouPath !== undefined && rule.ouPathRe.test(input.ouPath))) continue;
      if (rule.jobTitleRe && !(input.jobTitle !== undefined && rule.jobTitleRe.test(input.jobTitle)))
        continue;
      for (const a of rule.affiliation) values.add(a);
      if (rule.stop) break;
    }
    if (values.size === 0) for (const a of config.default) values.add(a);
    if (config.addMember && [...values].some((v) => MEMBER_OF.has(v))) values.add("member");
    const affiliation = [...values];
    const scoped = config.scope ? affiliation.map((a) => `${a}@${config.scope}`) : [];
    return { affiliation, scoped };
  };
}

const BRIN_OR_BRANCH = /^[0-9A-Z]{4}(?:[0-9]{2})?$/;

/** A school of the lookup table: BRIN (or BRIN + vestiging in one), vestiging, name. */
export const SchoolSchema = z.strictObject({
  brin: z.string().regex(BRIN_OR_BRANCH, "expected a BRIN of 4 characters, or 6 with the vestiging (11ZZ03)"),
  vestiging: z
    .string()
    .regex(/^[0-9]{2}$/, "expected 2 digits")
    .optional(),
  name: z.string().min(1).optional(),
});

/** The lookup table: school name, department, OU path or OU DN → school. */
export const SchoolTableSchema = z.record(z.string().min(1), SchoolSchema);
export type SchoolTable = z.infer<typeof SchoolTableSchema>;

/** A school found in the table, with the Entree attribute values derived from it. */
export interface School {
  brin: string;
  vestiging?: string;
  name?: string;
  /** nlEduPersonHomeOrganizationId: the BRIN, with the vestiging when there is one. */
  homeOrganizationId: string;
  /** nlEduPersonHomeOrganizationBranchId: BRIN + vestiging, only when there is a vestiging. */
  branchId?: string;
}

/** Where a person belongs, as far as the source knows. */
export interface SchoolInput {
  school?: string;
  department?: string;
  /** `/Scholen/De Regenboog/Groep 8`, or an OU DN `OU=Groep 8,OU=De Regenboog,DC=x,DC=nl`. */
  ouPath?: string;
}

function normalKey(key: string): string {
  return key.trim().replace(/\s+/g, " ").toLowerCase();
}

/** `/A/B/C` or `OU=C,OU=B,DC=x` → the segments from the root: `["a", "b", "c"]`. */
function ouSegments(path: string): string[] {
  if (path.includes("=")) {
    try {
      return parseDn(path)
        .map((rdn) => rdn[0])
        .filter((p) => p !== undefined && p.type.toLowerCase() === "ou")
        .map((p) => normalKey(p?.value ?? ""))
        .reverse();
    } catch {
      return [normalKey(path)];
    }
  }
  return path
    .split("/")
    .map(normalKey)
    .filter((s) => s.length > 0);
}

/**
 * Compiles a school lookup table. The returned function tries `school`, then `department`,
 * then the OU path from the deepest OU up (so `/Scholen/De Regenboog/Groep 8` finds the
 * entry for `/Scholen/De Regenboog`); keys compare case- and space-insensitively.
 * A 6-character BRIN without `vestiging` is read as BRIN + vestiging.
 * Example: `compileSchoolTable({ "De Regenboog": { brin: "11ZZ", vestiging: "03" } })({ school:
 * "de regenboog" })` → `{ brin: "11ZZ", vestiging: "03", homeOrganizationId: "11ZZ03", branchId: "11ZZ03" }`.
 */
export function compileSchoolTable(table: SchoolTable): (input: SchoolInput) => School | undefined {
  const byKey = new Map<string, School>();
  for (const [key, entry] of Object.entries(table)) {
    const brin = entry.brin.slice(0, 4);
    const vestiging = entry.vestiging ?? (entry.brin.length === 6 ? entry.brin.slice(4) : undefined);
    const school: School = {
      brin,
      ...(vestiging ? { vestiging, branchId: brin + vestiging } : {}),
      ...(entry.name ? { name: entry.name } : {}),
      homeOrganizationId: brin + (vestiging ?? ""),
    };
    const normal = key.includes("/") || key.includes("=") ? ouSegments(key).join("/") : normalKey(key);
    byKey.set(normal, school);
  }
  return (input) => {
    for (const key of [input.school, input.department]) {
      const hit = key === undefined ? undefined : byKey.get(normalKey(key));
      if (hit) return hit;
    }
    if (input.ouPath === undefined) return undefined;
    const segments = ouSegments(input.ouPath);
    for (let n = segments.length; n > 0; n--) {
      const hit = byKey.get(segments.slice(0, n).join("/"));
      if (hit) return hit;
    }
    return undefined;
  };
}

function mustBe(ok: boolean, what: string, expected: string): void {
  if (!ok)
    throw new OverstapError("MAPPING_EVAL", `${what} ${expected}`, {
      hint: "Fix the source value or the mapping.",
    });
}

/**
 * Builds nlEduPersonProfileId: `studentnumber@administrationnumber.schooldomain`, e.g.
 * `profileId("95312", "1", "kennisnet.nl")` → `"95312@1.kennisnet.nl"`. Throws MAPPING_EVAL
 * on a part that would make it malformed.
 */
export function profileId(studentNumber: string, administration: string, schoolDomain: string): string {
  mustBe(
    /^[^@\s]+$/.test(studentNumber),
    "nlEduPersonProfileId: the student number",
    "must be non-empty, without spaces or '@'",
  );
  mustBe(
    /^[A-Za-z0-9-]+$/.test(administration),
    "nlEduPersonProfileId: the administration number",
    "must be letters, digits or '-'",
  );
  mustBe(
    isHostname(schoolDomain),
    "nlEduPersonProfileId: the school domain",
    "must be a hostname such as school.nl",
  );
  return `${studentNumber}@${administration}.${schoolDomain}`;
}

/** The kinds of schacPersonalUniqueCode the Dutch local namespace defines. */
export type PersonalCodeKind = "studentid" | "employeeid" | "memberid";

/**
 * Builds schacPersonalUniqueCode `urn:schac:personalUniqueCode:nl:local:<sHO>:<kind>:<token>`,
 * e.g. `personalUniqueCode("uva.nl", "studentid", "123456")`. Throws MAPPING_EVAL on an invalid
 * schacHomeOrganization or a token with spaces or ':'.
 */
export function personalUniqueCode(
  schacHomeOrganization: string,
  kind: PersonalCodeKind,
  token: string,
): string {
  mustBe(
    isHostname(schacHomeOrganization),
    "schacPersonalUniqueCode: schacHomeOrganization",
    "must be a hostname such as uva.nl",
  );
  mustBe(
    ["studentid", "employeeid", "memberid"].includes(kind),
    "schacPersonalUniqueCode: the kind",
    "must be studentid, employeeid or memberid",
  );
  mustBe(
    /^[^\s:]+$/.test(token),
    "schacPersonalUniqueCode: the code",
    "must be non-empty, without spaces or ':'",
  );
  return `urn:schac:personalUniqueCode:nl:local:${schacHomeOrganization}:${kind}:${token}`;
}
