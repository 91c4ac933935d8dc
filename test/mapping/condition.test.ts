import { describe, expect, it } from "vitest";
import { isOverstapError } from "../../src/errors.js";
import { compileCondition, parseCondition } from "../../src/mapping/condition.js";
import type { PathContext } from "../../src/mapping/template-scope.js";

const ctx: PathContext = {
  fields: new Map<string, "value" | "map">([
    ["mail", "value"],
    ["roles", "value"],
    ["brin", "value"],
    ["displayName", "value"],
    ["enabled", "value"],
    ["ext", "map"],
  ]),
  attrs: new Map([["uid", 0]]),
  constants: { board: "Stichting Voorbeeld" },
};

const pupil = {
  mail: "zoë.çelik@voorbeeld.nl",
  roles: ["leerling", "klassenvertegenwoordiger"],
  brin: "11ZZ",
  enabled: true,
  ext: { department: "De Regenboog", klas: "8B" },
};
const teacher = { roles: ["leraar"], brin: "20DP", enabled: false, ext: {} };

function test(condition: string, src: Record<string, unknown>, vars: Record<string, string> = {}): boolean {
  return compileCondition(condition, ctx).test({ src, vars, attrs: [["z.celik"]] });
}

function compileError(condition: string): string {
  try {
    compileCondition(condition, ctx);
  } catch (err) {
    if (isOverstapError(err, "MAPPING_INVALID")) return err.message;
    throw err;
  }
  throw new Error(`expected ${condition} not to compile`);
}

describe("conditions", () => {
  it("a bare path is true when it has a value", () => {
    expect(test("mail", pupil)).toBe(true);
    expect(test("mail", teacher)).toBe(false);
    expect(test("mail", { mail: "" })).toBe(false);
    expect(test("roles", { roles: [] })).toBe(false);
    expect(test("enabled", pupil)).toBe(true);
    expect(test("enabled", teacher)).toBe(false);
    expect(test("attrs.uid", {})).toBe(true);
  });

  it("not negates", () => {
    expect(test("not mail", teacher)).toBe(true);
    expect(test("not mail", pupil)).toBe(false);
    expect(test("not not mail", pupil)).toBe(true);
  });

  it("== and != compare exactly (case-sensitive), a missing value equals ''", () => {
    expect(test("brin == '11ZZ'", pupil)).toBe(true);
    expect(test("brin == '11zz'", pupil)).toBe(false);
    expect(test("brin != '11ZZ'", teacher)).toBe(true);
    expect(test("mail == ''", teacher)).toBe(true);
    expect(test("ext.department == 'De Regenboog'", pupil)).toBe(true);
    expect(test("brin == vars.brin", pupil, { brin: "11ZZ" })).toBe(true);
    expect(test("vars.board == 'Stichting Voorbeeld'", {})).toBe(true);
  });

  it("contains tests list membership exactly, and substrings of a single string", () => {
    expect(test("roles contains 'leerling'", pupil)).toBe(true);
    expect(test("roles contains 'leer'", pupil)).toBe(false);
    expect(test("roles contains 'leerling'", teacher)).toBe(false);
    expect(test("mail contains '@voorbeeld.nl'", pupil)).toBe(true);
    expect(test("mail contains 'ç'", pupil)).toBe(true);
    expect(test("mail contains 'x'", teacher)).toBe(false);
    expect(test("attrs.uid contains 'z.celik'", {})).toBe(true);
    expect(test("roles contains vars.role", pupil, { role: "leerling" })).toBe(true);
    expect(test("roles contains vars.missing", pupil)).toBe(false);
  });

  it("matches tests any value against a regex", () => {
    expect(test("brin matches '^[0-9A-Z]{4}([0-9]{2})?$'", pupil)).toBe(true);
    expect(test("ext.klas matches '^[1-8][A-Z]$'", pupil)).toBe(true);
    expect(test("mail matches '^\\p{L}+\\.'", pupil)).toBe(true);
    expect(test("roles matches '^leraar$'", teacher)).toBe(true);
    expect(test("mail matches '.'", teacher)).toBe(false);
  });

  it("and binds tighter than or; parentheses group", () => {
    expect(test("mail or brin == '20DP' and enabled", teacher)).toBe(false);
    expect(test("(mail or brin == '20DP') and not enabled", teacher)).toBe(true);
    expect(test("brin == '11ZZ' or brin == '20DP' and mail", teacher)).toBe(false);
    expect(test("brin == '11ZZ' or brin == '20DP' and mail", pupil)).toBe(true);
    expect(test("not (roles contains 'leerling' or roles contains 'leraar')", teacher)).toBe(false);
  });

  it("parses into a syntax tree once", () => {
    expect(parseCondition("not a and (b == 'x' or c contains 'y')")).toEqual({
      kind: "and",
      conditions: [
        { kind: "not", condition: { kind: "present", operand: { kind: "path", path: "a" } } },
        {
          kind: "or",
          conditions: [
            {
              kind: "compare",
              op: "==",
              left: { kind: "path", path: "b" },
              right: { kind: "literal", value: "x" },
            },
            {
              kind: "compare",
              op: "contains",
              left: { kind: "path", path: "c" },
              right: { kind: "literal", value: "y" },
            },
          ],
        },
      ],
    });
  });

  it.each([
    ["", /empty condition/],
    ["mail ==", /expected a field or a 'literal' but found the end/],
    ["(mail", /expected '\)' but found the end/],
    ["mail and", /expected a field or a 'literal'/],
    ["mail brin", /expected 'and', 'or', '\)' or the end of the condition but found "brin" at column 6/],
    ["mail = 'x'", /unexpected character "=" at column 6/],
    ["mail matches brin", /matches needs a 'regex' literal/],
    ["mail matches '(a+)+'", /nested quantifier/],
    ["mial", /unknown field "mial"/],
    ["attrs.mail", /not an attribute declared before this one/],
  ])("rejects %j", (condition, message) => {
    expect(compileError(condition)).toMatch(message);
  });

  it("refuses to run a regex on an overly long value instead of hanging", () => {
    const check = compileCondition("mail matches '^a*$'", ctx);
    expect(() => check.test({ src: { mail: "a".repeat(2000) }, vars: {}, attrs: [] })).toThrow(
      expect.objectContaining({ code: "MAPPING_EVAL" }),
    );
  });
});
