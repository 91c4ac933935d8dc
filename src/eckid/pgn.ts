import { OverstapError } from "../errors.js";

/**
 * What a PGN (persoonsgebonden nummer) is for a person:
 * - `bsn`: a burgerservicenummer (9 digits, 11-proof);
 * - `onderwijsnummer`: 9 digits starting with 1 with the onderwijsnummer check;
 * - `staff`: a staff member's input form (by default `BRIN + ' ' + e-mail`);
 * - `auto`: 9 digits must be a valid BSN or onderwijsnummer, anything else the staff form.
 */
export type PgnKind = "bsn" | "onderwijsnummer" | "staff" | "auto";

/** The staff input form: `{brin} {mail}` by default (Kennisnet's second test vector). */
export const DEFAULT_STAFF_FORM = /^[0-9A-Z]{4}([0-9]{2})? [^\s@]+@[^\s@]+$/i;

export interface PgnRules {
  /** The pattern a staff PGN must match (after trimming). */
  staffForm?: RegExp;
}

/** The position weights of the BSN and onderwijsnummer checks: 9, 8, …, 2. */
function weightedSum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * Number(digits[i]);
  return sum;
}

/** True when the 9 digits pass the BSN 11-proof: (9p1+8p2+…+2p8−p9) mod 11 = 0. */
export function isBsn(digits: string): boolean {
  if (!/^[0-9]{9}$/.test(digits) || /^0+$/.test(digits)) return false;
  return (weightedSum(digits) - Number(digits[8])) % 11 === 0;
}

/** True when the 9 digits are an onderwijsnummer: starts with 1 and (9p1+…+2p8) mod 11 = p9 + 5. */
export function isOnderwijsnummer(digits: string): boolean {
  if (!/^1[0-9]{8}$/.test(digits)) return false;
  return weightedSum(digits) % 11 === Number(digits[8]) + 5;
}

function invalid(where: string, rule: string): OverstapError {
  return new OverstapError("ECKID_INVALID_PGN", `${where}: the PGN ${rule}`, {
    hint: "Correct the value in the school administration (the value itself is not shown, as it is personal data).",
  });
}

/**
 * Checks a PGN against the rules of its kind and returns the form that is hashed (trimmed).
 * The error (ECKID_INVALID_PGN) names `where` and the rule that failed, never the value.
 *
 * @example
 * validatePgn("063138219", "bsn", "las:1234 field pgn"); // "063138219"
 */
export function validatePgn(value: string, kind: PgnKind, where: string, rules: PgnRules = {}): string {
  const pgn = value.trim();
  if (pgn.length <= 1)
    throw invalid(where, "is empty or one character long (it must be longer than 1 character)");
  const nineDigits = /^[0-9]{9}$/.test(pgn);
  switch (kind) {
    case "bsn":
      if (!nineDigits) throw invalid(where, "is not 9 digits, as a BSN must be");
      if (!isBsn(pgn)) throw invalid(where, "fails the BSN 11-proof");
      return pgn;
    case "onderwijsnummer":
      if (!nineDigits) throw invalid(where, "is not 9 digits, as an onderwijsnummer must be");
      if (!pgn.startsWith("1")) throw invalid(where, "does not start with 1, as an onderwijsnummer must");
      if (!isOnderwijsnummer(pgn)) throw invalid(where, "fails the onderwijsnummer check digit rule");
      return pgn;
    case "staff":
      if (!(rules.staffForm ?? DEFAULT_STAFF_FORM).test(pgn)) {
        throw invalid(
          where,
          "does not have the configured staff form (by default BRIN, a space and an e-mail address)",
        );
      }
      return pgn;
    case "auto":
      if (nineDigits) {
        if (isBsn(pgn) || isOnderwijsnummer(pgn)) return pgn;
        throw invalid(where, "is 9 digits but neither passes the BSN 11-proof nor the onderwijsnummer rule");
      }
      if (/^[0-9]+$/.test(pgn))
        throw invalid(where, "is a number but not 9 digits, as a BSN or onderwijsnummer must be");
      return validatePgn(pgn, "staff", where, rules);
  }
}

/** Builds a staff PGN in the default form: BRIN, a space, the e-mail address. */
export function staffPgn(brin: string, mail: string): string {
  return `${brin.trim()} ${mail.trim()}`;
}
