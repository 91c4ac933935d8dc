/** OData query handling shared by the simulator's collection endpoints. */

export class ODataError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Properties `$select` may name on a user; `extension_*` attributes are accepted too. */
export const USER_PROPERTIES = new Set([
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
  "businessPhones",
  "mobilePhone",
  "preferredLanguage",
  "createdDateTime",
  "mailNickname",
  "otherMails",
]);
export const USER_DEFAULT = [
  "businessPhones",
  "displayName",
  "givenName",
  "jobTitle",
  "mail",
  "mobilePhone",
  "officeLocation",
  "preferredLanguage",
  "surname",
  "userPrincipalName",
  "id",
];
export const GROUP_PROPERTIES = new Set([
  "id",
  "displayName",
  "description",
  "mail",
  "mailNickname",
  "mailEnabled",
  "securityEnabled",
  "groupTypes",
  "visibility",
  "createdDateTime",
]);

/** Parses `$select`, refusing properties the type does not have, as Graph does. */
export function parseSelect(q: URLSearchParams, known: Set<string>, type: string): string[] | undefined {
  const raw = q.get("$select");
  if (raw === null) return undefined;
  const props = raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const p of props) {
    if (!known.has(p) && !p.startsWith("extension_")) {
      throw new ODataError(
        400,
        "Request_BadRequest",
        `Could not find a property named '${p}' on type 'microsoft.graph.${type}'.`,
      );
    }
  }
  return props;
}

/** Projects an object onto the selected properties: null when unset, extensions omitted when unset. */
export function project(
  obj: Record<string, unknown>,
  select: string[] | undefined,
  defaults?: string[],
): Record<string, unknown> {
  const props = select ?? defaults;
  if (!props) return { ...obj };
  const out: Record<string, unknown> = { id: obj.id };
  for (const p of props) {
    const v = obj[p];
    if (v === undefined && p.startsWith("extension_")) continue;
    out[p] = v ?? null;
  }
  return out;
}

/** Parses `$top` (1–999, default 100). */
export function parseTop(q: URLSearchParams): number {
  const raw = q.get("$top");
  if (raw === null) return 100;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 999) {
    throw new ODataError(
      400,
      "Request_UnsupportedQuery",
      `Invalid page size specified: '${raw}'. Must be between 1 and 999 inclusive.`,
    );
  }
  return n;
}

/** Encodes paging state into an opaque token. */
export function encodeToken(state: Record<string, unknown>): string {
  return `X${Buffer.from(JSON.stringify(state)).toString("base64url")}`;
}

/** Decodes a token made by {@link encodeToken}; a tampered token is a 400, as in Graph. */
export function decodeToken<T>(token: string): T {
  try {
    return JSON.parse(Buffer.from(token.slice(1), "base64url").toString()) as T;
  } catch {
    throw new ODataError(
      400,
      "Request_BadRequest",
      "The specified page token value has expired or is invalid.",
    );
  }
}

/** First index in a sorted array whose value is greater than `after`. */
export function indexAfter(sorted: string[], after: string | undefined): number {
  if (after === undefined) return 0;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as string) <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
