import { describe, expect, it } from "vitest";
import { checkRegexInput, compileSafeRegex, MAX_REGEX_INPUT } from "../../src/mapping/template-regex.js";

describe("safe regexes", () => {
  it.each([
    "[^a-z0-9-]",
    "^(\\w+)@",
    "\\s+",
    "^[0-9A-Z]{4}([0-9]{2})?$",
    "(?:van|de|der) ",
    "(\\w+)?x",
    "(?<naam>[a-z]+)\\.",
    "(?<=@)[a-z]+",
    "\\p{L}+",
    "\\u{1F600}",
    "a{2}(bc){1}",
    "[(+*]",
  ])("accepts %j", (pattern) => {
    expect(compileSafeRegex(pattern)).toBeInstanceOf(RegExp);
  });

  it.each([
    ["(a+)+$", /nested quantifier/],
    ["(a*)*", /nested quantifier/],
    ["(x\\d+){2,}", /nested quantifier/],
    ["((ab)+c)*", /nested quantifier/],
    ["(a|ab)+", /alternatives/],
    ["(?:a|b)*c", /alternatives/],
    ["(\\w)\\1", /backreference/],
    ["(?<x>a)\\k<x>", /backreference/],
    ["(", /is invalid/],
  ])("refuses %j", (pattern, reason) => {
    expect(() => compileSafeRegex(pattern)).toThrow(reason);
  });

  it("refuses overly long inputs with MAPPING_EVAL", () => {
    expect(() => checkRegexInput("x".repeat(MAX_REGEX_INPUT))).not.toThrow();
    expect(() => checkRegexInput("x".repeat(MAX_REGEX_INPUT + 1))).toThrow(
      expect.objectContaining({ code: "MAPPING_EVAL" }),
    );
  });
});
