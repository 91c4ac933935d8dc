/**
 * An ECK iD: `https://ketenid.nl/<segment>/<128 lowercase hex>`; the segment is `201703` in
 * production and `pilot` in the test environment.
 */
export const ECKID_PATTERN = /^https:\/\/ketenid\.nl\/[0-9A-Za-z]+\/[0-9a-f]{128}$/;

/** True when `value` has the format of an ECK iD. */
export function isEckId(value: string): boolean {
  return ECKID_PATTERN.test(value);
}
