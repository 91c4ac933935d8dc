import type { GoogleConfig } from "./config.js";
import { GROUP_FIELDS, MEMBER_FIELDS, USER_FIELDS } from "./map.js";
import type { Chain } from "./pages.js";

/** Where lists are read from: each configured domain on its own, else the whole customer. */
function owners(cfg: GoogleConfig): { param: Record<string, string>; label: string }[] {
  if (cfg.domains) return cfg.domains.map((d) => ({ param: { domain: d }, label: `domain ${d}` }));
  return [{ param: { customer: cfg.customer }, label: `customer ${cfg.customer}` }];
}

/** The `query` that keeps one org-unit subtree (`orgUnitPath` matches the units under it too). */
function orgUnitQuery(path: string): Record<string, string> {
  if (path === "/") return {};
  return { query: `orgUnitPath='${path.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'` };
}

/** The chains of users pages: one per domain (or the customer) and org-unit subtree. */
export function userChains(cfg: GoogleConfig): Chain[] {
  return owners(cfg).flatMap((o) =>
    cfg.orgUnits.map((ou) => ({
      path: "users",
      query: {
        ...o.param,
        ...orgUnitQuery(ou),
        maxResults: String(cfg.userPageSize),
        projection: "custom",
        customFieldMask: cfg.customSchema.name,
        fields: USER_FIELDS,
      },
      items: "users",
      what: `list users of ${o.label}${ou === "/" ? "" : ` in ${ou}`}`,
      priority: true,
    })),
  );
}

/** The chains of groups pages: one per domain, or the customer's. */
export function groupChains(cfg: GoogleConfig): Chain[] {
  return owners(cfg).map((o) => ({
    path: "groups",
    query: { ...o.param, maxResults: String(cfg.groupPageSize), fields: GROUP_FIELDS },
    items: "groups",
    what: `list groups of ${o.label}`,
    priority: true,
  }));
}

/** The chain of one group's direct members. */
export function memberChain(cfg: GoogleConfig, groupId: string): Chain {
  return {
    path: `groups/${encodeURIComponent(groupId)}/members`,
    query: { maxResults: String(cfg.groupPageSize), fields: MEMBER_FIELDS },
    items: "members",
    what: `list members of group ${groupId}`,
    priority: false,
  };
}
