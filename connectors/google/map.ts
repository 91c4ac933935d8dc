import type { Group } from "../../src/model/group.js";
import type { Person } from "../../src/model/person.js";
import type { Json } from "./client.js";
import type { GoogleConfig } from "./config.js";

/** Why a Directory object cannot be read, naming the field (never its value). */
export interface Invalid {
  record: string;
  id?: string;
  field: string;
  reason: string;
}

/** A BRIN (two digits, two letters), optionally with a two-digit vestiging. */
const BRIN = /^\d{2}[A-Z]{2}(\d{2})?$/;

/** The `fields=` selection of a users page: only what {@link toPerson} reads. */
export const USER_FIELDS =
  "nextPageToken,users(id,primaryEmail,name(givenName,familyName,fullName),suspended,archived,orgUnitPath,aliases,externalIds,organizations,customSchemas)";
/** The `fields=` selection of a groups page. */
export const GROUP_FIELDS = "nextPageToken,groups(id,email,name,description,aliases)";
/** The `fields=` selection of a members page. */
export const MEMBER_FIELDS = "nextPageToken,members(id,email,role,type,status)";

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() !== "" ? v : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string" && x !== "") : [];
}

/** The user's values of the configured custom schema, or (as text) the field that is not a string. */
function schemaValues(raw: Json, cfg: GoogleConfig): Record<string, string | undefined> | string {
  const s = cfg.customSchema;
  const all = raw.customSchemas;
  const values = typeof all === "object" && all !== null ? (all as Json)[s.name] : undefined;
  const obj = typeof values === "object" && values !== null ? (values as Json) : {};
  const out: Record<string, string | undefined> = {};
  for (const [key, field] of Object.entries({
    brin: s.brin,
    schoolName: s.schoolName,
    number: s.number,
    role: s.role,
  })) {
    const v = obj[field];
    if (v !== undefined && v !== null && typeof v !== "string") return `customSchemas.${s.name}.${field}`;
    out[key] = str(v)?.trim();
  }
  return out;
}

/** Extra facts of a user, kept in `ext` for the mapping. */
function userExt(raw: Json, schoolName: string | undefined): Record<string, string | string[]> {
  const ext: Record<string, string | string[]> = {};
  const ou = str(raw.orgUnitPath);
  if (ou) ext.orgUnitPath = ou;
  const aliases = strings(raw.aliases);
  if (aliases.length > 0) ext.aliases = aliases;
  if (raw.suspended === true) ext.suspended = "true";
  if (raw.archived === true) ext.archived = "true";
  if (schoolName) ext.schoolName = schoolName;
  const ids = Array.isArray(raw.externalIds) ? (raw.externalIds as Json[]) : [];
  const external = ids.flatMap((e) =>
    str(e?.value) ? [`${str(e.customType) ?? str(e.type) ?? "other"}:${e.value}`] : [],
  );
  if (external.length > 0) ext.externalIds = external;
  const orgs = Array.isArray(raw.organizations) ? (raw.organizations as Json[]) : [];
  const org = orgs.find((o) => o?.primary === true) ?? orgs[0];
  for (const key of ["name", "department", "title", "costCenter"]) {
    const v = str(org?.[key]);
    if (v) ext[key === "name" ? "organization" : key] = v;
  }
  return ext;
}

/**
 * Maps a Directory user onto the canonical Person: suspended or archived users are disabled
 * (as Entra's disabled accounts), the custom schema gives role, BRIN and number. `groups` are
 * the ids of the groups the user is a direct member of.
 */
export function toPerson(source: string, raw: Json, groups: string[], cfg: GoogleConfig): Person | Invalid {
  const id = str(raw.id);
  if (!id) return { record: `${source}:user?`, field: "id", reason: "a user without an id" };
  const record = `${source}:${id}`;
  for (const flag of ["suspended", "archived"]) {
    if (raw[flag] !== undefined && raw[flag] !== null && typeof raw[flag] !== "boolean") {
      return { record, id, field: flag, reason: `${flag} is not a boolean` };
    }
  }
  const values = schemaValues(raw, cfg);
  if (typeof values === "string") return { record, id, field: values, reason: `${values} is not a string` };
  const brinField = `customSchemas.${cfg.customSchema.name}.${cfg.customSchema.brin}`;
  if (values.brin !== undefined && !BRIN.test(values.brin)) {
    return {
      record,
      id,
      field: brinField,
      reason: `${brinField} is not a BRIN (two digits, two capitals, optionally a two-digit vestiging)`,
    };
  }
  const name = typeof raw.name === "object" && raw.name !== null ? (raw.name as Json) : {};
  const person: Person = {
    source,
    id,
    roles: values.role ? [values.role] : [],
    enabled: raw.suspended !== true && raw.archived !== true,
    groups: [...groups].sort(),
    ext: userExt(raw, values.schoolName),
  };
  const login = str(raw.primaryEmail);
  if (login) {
    person.login = login;
    person.mail = login;
  }
  const given = str(name.givenName);
  if (given) person.givenName = given;
  const family = str(name.familyName);
  if (family) person.surname = family;
  const full = str(name.fullName);
  if (full) person.displayName = full;
  if (values.number) person.number = values.number;
  if (values.brin) {
    person.brin = values.brin.slice(0, 4);
    if (values.brin.length === 6) person.vestiging = values.brin.slice(4);
  }
  return person;
}

/** What a group's member listing said, besides its properties. */
export interface GroupLinks {
  users: string[];
  groups: string[];
  /** The group has the CUSTOMER member (everyone in the account). */
  customer: boolean;
  /** Members outside the account's domains: reported, never created. */
  external: number;
}

/**
 * Maps a Directory group onto the canonical Group, with its direct members as listed; the
 * pull replaces `members` with the resolved user members at its end.
 */
export function toGroup(source: string, raw: Json, links: GroupLinks): Group | Invalid {
  const id = str(raw.id);
  if (!id) return { record: `${source}:group?`, field: "id", reason: "a group without an id" };
  const email = str(raw.email);
  const name = str(raw.name);
  const ext: Record<string, string | string[]> = {
    memberUsers: [...links.users].sort(),
    memberGroups: [...links.groups].sort(),
  };
  if (email) ext.email = email;
  const description = str(raw.description);
  if (description) ext.description = description;
  const aliases = strings(raw.aliases);
  if (aliases.length > 0) ext.aliases = aliases;
  if (links.customer) ext.customerMember = "true";
  if (links.external > 0) ext.externalMembers = String(links.external);
  const group: Group = {
    source,
    id,
    name: name ?? email ?? id,
    kind: "security",
    members: [...links.users].sort(),
    owners: [],
    ext,
  };
  if (name) group.displayName = name;
  return group;
}

/**
 * Sorts a members page into user ids, group ids, the CUSTOMER member and members without an id
 * of the account (external); a user member the pull does not find is counted external at the end.
 */
export function splitMembers(items: Json[], links: GroupLinks): void {
  for (const m of items) {
    const type = str(m.type);
    const id = str(m.id);
    if (type === "CUSTOMER") links.customer = true;
    else if (type === "GROUP" && id) links.groups.push(id);
    else if (type === "USER" && id) links.users.push(id);
    else links.external++;
  }
}

/** True when a value is an Invalid rather than a mapped object. */
export function isInvalid(v: unknown): v is Invalid {
  return typeof v === "object" && v !== null && "reason" in v && "record" in v;
}
