/**
 * LDAP GeneralizedTime (`YYYYMMDDHHMMSSZ`, RFC 4517) of a date or of an ISO date text, in UTC.
 * Throws a TypeError on a text that is not a date.
 *
 * @example
 * generalizedTime("2026-09-01") // "20260901000000Z"
 */
export function generalizedTime(d: Date | string): string {
  const date = typeof d === "string" ? new Date(d) : d;
  if (Number.isNaN(date.getTime())) throw new TypeError(`not a date: ${JSON.stringify(d)}`);
  return `${date.toISOString().slice(0, 19).replace(/[-:T]/g, "")}Z`;
}
