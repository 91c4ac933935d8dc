/** Crockford's base32 alphabet: no I, L, O or U, so a fingerprint read aloud is not misheard. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * The short, human-checkable fingerprint of a plan: the first 80 bits of its content hash (the
 * SHA-256 in the trailer, hex) as four groups of four base32 characters. Every view of a plan
 * shows it, so a board approves this plan and no other.
 *
 * @example
 * planFingerprint(plan.hash); // "K7QF-2M9D-X4TB-H1WZ"
 */
export function planFingerprint(hash: string): string {
  let bits = 0n;
  for (let i = 0; i < 20; i++) bits = (bits << 4n) | BigInt(Number.parseInt(hash[i] ?? "0", 16));
  let out = "";
  for (let i = 15; i >= 0; i--) out += ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return out.match(/.{4}/g)?.join("-") ?? out;
}
