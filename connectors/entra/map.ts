import type { Group, GroupKind } from "../../src/model/group.js";
import type { Person } from "../../src/model/person.js";
import type { EntraConfig } from "./config.js";
import type { Json } from "./http.js";

/** User properties every pull reads. */
export const USER_PROPERTIES = [
  "id",
  "userPrincipalName",
  "displayName",
  "givenName",
  "surname",
  "mail",
  "accountEnabled",
  "employeeId",
  "employeeType",
  "jobTitle",
  "department",
  "companyName",
  "officeLocation",
  "onPremisesImmutableId",
  "userType",
];
/** Group properties every pull reads. */
export const GROUP_PROPERTIES = [
  "id",
  "displayName",
  "description",
  "mail",
  "mailNickname",
  "securityEnabled",
  "groupTypes",
];

const EXT_PROPERTIES = [
  "department",
  "companyName",
  "officeLocation",
  "onPremisesImmutableId",
  "userType",
  "jobTitle",
  "employeeType",
];

/** The `$select` list for users under this configuration. */
export function userSelect(cfg: EntraConfig): string {
  return [...new Set([...USER_PROPERTIES, ...cfg.select, ...cfg.extensionAttributes])].join(",");
}

/** What School Data Sync adds to a person. */
export interface EducationFacts {
  role?: string;
  number?: string;
  brin?: string;
  grade?: string;
  schools?: string[];
}

/** Why a Graph object cannot be read, naming the field. */
export interface Invalid {
  record: string;
  field: string;
  reason: string;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

function extValue(v: unknown): string | string[] | undefined {
  if (typeof v === "string") return v === "" ? undefined : v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== undefined).map(String);
  return undefined;
}

/** The short name of a directory extension attribute: `extension_<appid>_eckId` → `eckId`. */
export function extensionName(attr: string): string {
  return attr.replace(/^extension_[0-9a-f]{32}_/, "");
}

/**
 * Maps a Graph user onto the canonical Person. `groups` are the ids of the groups the user is a
 * direct member of. Returns an Invalid when the record lacks what identifies it.
 */
export function toPerson(
  source: string,
  raw: Json,
  groups: string[],
  cfg: EntraConfig,
  edu?: EducationFacts,
): Person | Invalid {
  const id = str(raw.id);
  if (!id) return { record: `${source}:user?`, field: "id", reason: "a user without an id" };
  if (
    typeof raw.accountEnabled !== "boolean" &&
    raw.accountEnabled !== null &&
    raw.accountEnabled !== undefined
  ) {
    return {
      record: `${source}:${id}`,
      field: "accountEnabled",
      reason: `accountEnabled is ${JSON.stringify(raw.accountEnabled)}, not a boolean`,
    };
  }
  const ext: Record<string, string | string[]> = {};
  for (const key of [...EXT_PROPERTIES, ...cfg.select]) {
    const v = extValue(raw[key]);
    if (v !== undefined) ext[key] = v;
  }
  for (const attr of cfg.extensionAttributes) {
    const v = extValue(raw[attr]);
    if (v !== undefined) ext[extensionName(attr)] = v;
  }
  if (edu?.grade) ext.grade = edu.grade;
  if (edu?.schools?.length) ext.schools = edu.schools;
  const role = edu?.role ?? cfg.roleFrom.map((k) => str(raw[k])).find((v) => v !== undefined);
  const person: Person = {
    source,
    id,
    roles: role ? [role] : [],
    enabled: raw.accountEnabled !== false,
    groups: [...groups].sort(),
    ext,
  };
  const login = str(raw.userPrincipalName);
  if (login) person.login = login;
  for (const [k, v] of [
    ["givenName", raw.givenName],
    ["surname", raw.surname],
    ["displayName", raw.displayName],
    ["mail", raw.mail],
  ] as const) {
    const s = str(v);
    if (s) person[k] = s;
  }
  const number = edu?.number ?? str(raw.employeeId);
  if (number) person.number = number;
  if (edu?.brin) person.brin = edu.brin;
  return person;
}

/** The facts of a group besides its properties. */
export interface GroupLinks {
  members: string[];
  owners: string[];
  /** Direct members, kept in `ext` so a later pull can resolve nesting again. */
  memberUsers?: string[];
  memberGroups?: string[];
  kind?: GroupKind;
  brin?: string;
  extra?: Record<string, string | string[]>;
}

/** Maps a Graph group (or an SDS class) onto the canonical Group. */
export function toGroup(source: string, raw: Json, links: GroupLinks): Group | Invalid {
  const id = str(raw.id);
  if (!id) return { record: `${source}:group?`, field: "id", reason: "a group without an id" };
  const displayName = str(raw.displayName);
  const groupTypes = Array.isArray(raw.groupTypes) ? raw.groupTypes : [];
  const ext: Record<string, string | string[]> = { ...links.extra };
  if (links.memberUsers) ext.memberUsers = [...links.memberUsers].sort();
  if (links.memberGroups) ext.memberGroups = [...links.memberGroups].sort();
  for (const key of ["mail", "mailNickname", "description"]) {
    const v = str(raw[key]);
    if (v) ext[key] = v;
  }
  const group: Group = {
    source,
    id,
    name: displayName ?? str(raw.mailNickname) ?? id,
    kind: links.kind ?? (groupTypes.includes("Unified") ? "team" : "security"),
    members: [...links.members].sort(),
    owners: [...links.owners].sort(),
    ext,
  };
  if (displayName) group.displayName = displayName;
  if (links.brin) group.brin = links.brin;
  return group;
}

/**
 * A stored group's Graph properties (those {@link toGroup} reads), so that a delta item, which
 * carries at least the properties that changed, can be laid over it.
 */
export function graphGroup(group: Group): Json {
  const text = (v: string | string[] | undefined) => (typeof v === "string" ? v : null);
  return {
    id: group.id,
    displayName: group.displayName ?? null,
    description: text(group.ext.description),
    mail: text(group.ext.mail),
    mailNickname: text(group.ext.mailNickname),
    groupTypes: group.kind === "team" ? ["Unified"] : [],
  };
}

/** True when a value is an Invalid rather than a mapped object. */
export function isInvalid(v: unknown): v is Invalid {
  return typeof v === "object" && v !== null && "reason" in v && "record" in v;
}

/** Ids of users and of groups in a members/owners listing; other object types are ignored. */
export function splitMembers(items: Json[]): { users: string[]; groups: string[] } {
  const users: string[] = [];
  const groups: string[] = [];
  for (const item of items) {
    const id = str(item.id);
    if (!id) continue;
    const type = str(item["@odata.type"]);
    if (type === "#microsoft.graph.user") users.push(id);
    else if (type === "#microsoft.graph.group") groups.push(id);
  }
  return { users, groups };
}
