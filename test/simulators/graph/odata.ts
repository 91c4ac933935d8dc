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

/**
 * Properties `$select` may name on a user: the properties of the v1.0 `user` resource type as
 * Graph's reference lists them; `extension_*` attributes are accepted too.
 */
export const USER_PROPERTIES = new Set([
  "aboutMe",
  "accountEnabled",
  "ageGroup",
  "assignedLicenses",
  "assignedPlans",
  "birthday",
  "businessPhones",
  "city",
  "companyName",
  "consentProvidedForMinor",
  "country",
  "createdDateTime",
  "creationType",
  "deletedDateTime",
  "department",
  "displayName",
  "employeeHireDate",
  "employeeId",
  "employeeLeaveDateTime",
  "employeeOrgData",
  "employeeType",
  "externalUserState",
  "externalUserStateChangeDateTime",
  "faxNumber",
  "givenName",
  "hireDate",
  "id",
  "identities",
  "imAddresses",
  "interests",
  "isResourceAccount",
  "jobTitle",
  "lastPasswordChangeDateTime",
  "legalAgeGroupClassification",
  "licenseAssignmentStates",
  "mail",
  "mailboxSettings",
  "mailNickname",
  "mobilePhone",
  "mySite",
  "officeLocation",
  "onPremisesDistinguishedName",
  "onPremisesDomainName",
  "onPremisesExtensionAttributes",
  "onPremisesImmutableId",
  "onPremisesLastSyncDateTime",
  "onPremisesProvisioningErrors",
  "onPremisesSamAccountName",
  "onPremisesSecurityIdentifier",
  "onPremisesSyncEnabled",
  "onPremisesUserPrincipalName",
  "otherMails",
  "passwordPolicies",
  "passwordProfile",
  "pastProjects",
  "postalCode",
  "preferredDataLocation",
  "preferredLanguage",
  "preferredName",
  "provisionedPlans",
  "proxyAddresses",
  "responsibilities",
  "schools",
  "securityIdentifier",
  "showInAddressList",
  "signInActivity",
  "signInSessionsValidFromDateTime",
  "skills",
  "state",
  "streetAddress",
  "surname",
  "usageLocation",
  "userPrincipalName",
  "userType",
]);
/** What Graph returns of a user without `$select`, as its reference says. */
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
/** Properties `$select` may name on a group: those of the v1.0 `group` resource type. */
export const GROUP_PROPERTIES = new Set([
  "allowExternalSenders",
  "assignedLabels",
  "assignedLicenses",
  "autoSubscribeNewMembers",
  "classification",
  "createdDateTime",
  "deletedDateTime",
  "description",
  "displayName",
  "expirationDateTime",
  "groupTypes",
  "hasMembersWithLicenseErrors",
  "hideFromAddressLists",
  "hideFromOutlookClients",
  "id",
  "isArchived",
  "isAssignableToRole",
  "isSubscribedByMail",
  "licenseProcessingState",
  "mail",
  "mailEnabled",
  "mailNickname",
  "membershipRule",
  "membershipRuleProcessingState",
  "onPremisesDomainName",
  "onPremisesLastSyncDateTime",
  "onPremisesNetBiosName",
  "onPremisesProvisioningErrors",
  "onPremisesSamAccountName",
  "onPremisesSecurityIdentifier",
  "onPremisesSyncEnabled",
  "preferredDataLocation",
  "preferredLanguage",
  "proxyAddresses",
  "renewedDateTime",
  "securityEnabled",
  "securityIdentifier",
  "serviceProvisioningErrors",
  "theme",
  "uniqueName",
  "unseenCount",
  "visibility",
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
