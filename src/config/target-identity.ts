import path from "node:path";

/**
 * What a target is, independent of how it is reached today: for a directory its URL and base DN,
 * for a file its path as configured (relative to the project folder, so a moved project keeps it). A plan records it, and apply refuses a plan made for another
 * target (and team mode locks on it).
 *
 * @example
 * targetIdentity({ type: "ldap", url: "ldaps://idp.school.nl/", baseDn: "DC=School,DC=nl" });
 * // "ldap ldaps://idp.school.nl dc=school,dc=nl"
 */
export function targetIdentity(target: { type: string; [k: string]: unknown }): string {
  const parts = [target.type];
  if (typeof target.url === "string") parts.push(target.url.replace(/\/+$/, "").toLowerCase());
  if (typeof target.baseDn === "string") parts.push(target.baseDn.replace(/\s*,\s*/g, ",").toLowerCase());
  if (typeof target.file === "string") parts.push(path.normalize(target.file));
  return parts.join(" ");
}
