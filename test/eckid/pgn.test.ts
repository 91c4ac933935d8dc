import { describe, expect, it } from "vitest";
import { isBsn, isOnderwijsnummer, staffPgn, validatePgn } from "../../src/eckid/pgn.js";
import { isOverstapError } from "../../src/errors.js";

function rejection(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a rejection");
}

describe("PGN validation", () => {
  it("accepts a BSN that passes the 11-proof and rejects one digit off", () => {
    expect(isBsn("063138219")).toBe(true);
    expect(isBsn("111222333")).toBe(true);
    expect(isBsn("063138218")).toBe(false);
    expect(isBsn("000000000")).toBe(false);
    expect(validatePgn(" 063138219 ", "bsn", "las:1")).toBe("063138219");
  });

  it("accepts an onderwijsnummer by its own rule", () => {
    // 9·1+8·0+7·1+6·2+5·3+4·4+3·5+2·6 = 86; 86 mod 11 = 9 = p9 + 5 → p9 = 4
    expect(isOnderwijsnummer("101234564")).toBe(true);
    expect(isOnderwijsnummer("101234565")).toBe(false);
    expect(isOnderwijsnummer("201234564")).toBe(false);
    expect(validatePgn("101234564", "onderwijsnummer", "las:2")).toBe("101234564");
    expect(validatePgn("101234564", "auto", "las:2")).toBe("101234564");
  });

  it("says which rule failed and never shows the value", () => {
    const cases: [string, Parameters<typeof validatePgn>[1], RegExp][] = [
      ["063138218", "bsn", /fails the BSN 11-proof/],
      ["12345", "bsn", /is not 9 digits/],
      ["201234564", "onderwijsnummer", /does not start with 1/],
      ["101234565", "onderwijsnummer", /onderwijsnummer check digit/],
      ["063138218", "auto", /neither passes the BSN 11-proof nor the onderwijsnummer rule/],
      ["1234567", "auto", /a number but not 9 digits/],
      ["teacher@school.com", "staff", /staff form/],
      [" x ", "auto", /longer than 1 character/],
    ];
    for (const [value, kind, reason] of cases) {
      const err = rejection(() => validatePgn(value, kind, "las:42 field pgn"));
      expect(isOverstapError(err, "ECKID_INVALID_PGN")).toBe(true);
      expect(err.message).toMatch(/^las:42 field pgn: /);
      expect(err.message).toMatch(reason);
      expect(err.message).not.toContain(value.trim());
      expect(JSON.stringify({ ...err, hint: (err as { hint?: string }).hint })).not.toContain(value.trim());
    }
  });

  it("takes the staff form from configuration", () => {
    expect(validatePgn(staffPgn("20DP", "teacher@school.com"), "staff", "x")).toBe("20DP teacher@school.com");
    expect(validatePgn("20DP01 teacher@school.com", "auto", "x")).toBe("20DP01 teacher@school.com");
    const rules = { staffForm: /^E[0-9]{5}$/ };
    expect(validatePgn("E12345", "staff", "x", rules)).toBe("E12345");
    expect(rejection(() => validatePgn("20DP teacher@school.com", "staff", "x", rules)).message).toMatch(
      /staff form/,
    );
  });
});
