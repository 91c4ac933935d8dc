import type { Json, WsGroup, WsMember, WsUser } from "./workspace.js";

/** A Directory API error answer (`{error: {code, message, errors: [{message, domain, reason}], status}}`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly statusText = status === 401
      ? "UNAUTHENTICATED"
      : status === 403
        ? "PERMISSION_DENIED"
        : status === 404
          ? "NOT_FOUND"
          : status === 400
            ? "INVALID_ARGUMENT"
            : "UNAVAILABLE",
  ) {
    super(message);
  }

  /** The error body as Google sends it. */
  body(): Json {
    return {
      error: {
        code: this.status,
        message: this.message,
        errors: [{ message: this.message, domain: "global", reason: this.reason }],
        status: this.statusText,
      },
    };
  }
}

/** The fields of each resource, for checking `fields=` selections. */
export const USER_FIELDS = [
  "kind",
  "id",
  "etag",
  "primaryEmail",
  "name",
  "isAdmin",
  "suspended",
  "archived",
  "orgUnitPath",
  "aliases",
  "externalIds",
  "organizations",
  "customSchemas",
  "creationTime",
  "changePasswordAtNextLogin",
] as const;
export const GROUP_FIELDS = [
  "kind",
  "id",
  "etag",
  "email",
  "name",
  "description",
  "directMembersCount",
  "aliases",
  "adminCreated",
] as const;
export const MEMBER_FIELDS = [
  "kind",
  "id",
  "etag",
  "email",
  "role",
  "type",
  "status",
  "delivery_settings",
] as const;

const etag = (s: string) => `"${Buffer.from(s).toString("base64url").slice(0, 27)}"`;

/** A user resource with the custom schemas the projection asks for. */
export function userResource(u: WsUser, projection: string, mask: string[]): Json {
  const out: Json = {
    kind: "admin#directory#user",
    id: u.id,
    etag: etag(`${u.id}${u.primaryEmail}${u.suspended}`),
    primaryEmail: u.primaryEmail,
    name: u.name,
    isAdmin: u.isAdmin,
    suspended: u.suspended,
    archived: u.archived,
    orgUnitPath: u.orgUnitPath,
    creationTime: u.creationTime,
    changePasswordAtNextLogin: false,
  };
  if (u.aliases) out.aliases = u.aliases;
  if (u.externalIds) out.externalIds = u.externalIds;
  if (u.organizations) out.organizations = u.organizations;
  if (u.customSchemas && projection !== "basic") {
    const schemas = Object.fromEntries(
      Object.entries(u.customSchemas).filter(([k]) => projection === "full" || mask.includes(k)),
    );
    if (Object.keys(schemas).length > 0) out.customSchemas = schemas;
  }
  return out;
}

/** A group resource. */
export function groupResource(g: WsGroup): Json {
  return {
    kind: "admin#directory#group",
    id: g.id,
    etag: etag(`${g.id}${g.name}`),
    email: g.email,
    name: g.name,
    directMembersCount: String(g.members.size),
    ...(g.description ? { description: g.description } : {}),
    ...(g.aliases ? { aliases: g.aliases } : {}),
    adminCreated: true,
  };
}

/** A member resource. */
export function memberResource(m: WsMember): Json {
  return { kind: "admin#directory#member", etag: etag(`${m.id ?? m.email}${m.role}`), ...m };
}

/**
 * The filter of a users `query` ("Search for users"): space-separated clauses, all of which
 * must hold. Supported: `orgUnitPath='/a/b'` (the unit and everything under it), `isSuspended`,
 * `isArchived`, `isAdmin` (`=true|false`).
 */
export function userQuery(text: string | null): (u: WsUser) => boolean {
  if (!text) return () => true;
  const tests: ((u: WsUser) => boolean)[] = [];
  const re = /\s*([A-Za-z]+)\s*([=:])\s*('(?:[^'\\]|\\.)*'|[^\s]+)/y;
  let m: RegExpExecArray | null;
  let end = 0;
  for (m = re.exec(text); m; m = re.exec(text)) {
    end = re.lastIndex;
    const [, field, , raw] = m as unknown as [string, string, string, string];
    const value = raw.startsWith("'") ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw;
    if (field === "orgUnitPath") {
      const path = value.replace(/\/+$/, "") || "/";
      tests.push((u) => path === "/" || u.orgUnitPath === path || u.orgUnitPath.startsWith(`${path}/`));
    } else if (
      ["isSuspended", "isArchived", "isAdmin"].includes(field) &&
      ["true", "false"].includes(value)
    ) {
      const key = field === "isSuspended" ? "suspended" : field === "isArchived" ? "archived" : "isAdmin";
      tests.push((u) => u[key] === (value === "true"));
    } else throw new ApiError(400, "invalid", "Invalid Input");
  }
  if (text.slice(end).trim() !== "") throw new ApiError(400, "invalid", "Invalid Input");
  return (u) => tests.every((t) => t(u));
}
