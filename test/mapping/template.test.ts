import { describe, expect, it } from "vitest";
import { isOverstapError } from "../../src/errors.js";
import {
  compileTemplate,
  MAX_TEMPLATE_VALUES,
  parseTemplate,
  type TemplateContext,
} from "../../src/mapping/template.js";
import { type Scope, toValues, type Values } from "../../src/mapping/template-scope.js";

const ctx: TemplateContext = {
  fields: new Map<string, "value" | "map">([
    ["givenName", "value"],
    ["surname", "value"],
    ["roles", "value"],
    ["groups", "value"],
    ["enabled", "value"],
    ["ext", "map"],
  ]),
  attrs: new Map([["uid", 0]]),
  lookups: new Map(),
  constants: { base: "ou=people,dc=x", realm: "mapping.nl" },
};

function run(template: string, src: Record<string, unknown>, scope: Partial<Scope> = {}): Values {
  return compileTemplate(template, ctx).evaluate({ src, vars: {}, attrs: [], ...scope });
}

function compileError(template: string, context: TemplateContext = ctx): string {
  try {
    compileTemplate(template, context);
  } catch (err) {
    if (isOverstapError(err, "MAPPING_INVALID")) return err.message;
    throw err;
  }
  throw new Error(`expected ${template} not to compile`);
}

describe("templates", () => {
  it("keeps text without expressions as one constant value", () => {
    expect(run("inetOrgPerson", {})).toEqual(["inetOrgPerson"]);
    expect(run("", {})).toEqual([]);
    expect(run("a } b }", {})).toEqual(["a } b }"]);
  });

  it("fills expressions into text", () => {
    expect(run("{{ givenName }} {{ surname }}", { givenName: "Zoë", surname: "Çelik" })).toEqual([
      "Zoë Çelik",
    ]);
    expect(run("{{givenName}}", { givenName: "Zoë" })).toEqual(["Zoë"]);
  });

  it("gives no value when any part has none (so a required attribute can say which)", () => {
    expect(run("{{ givenName }} {{ surname }}", { givenName: "Zoë" })).toEqual([]);
    expect(run("{{ givenName }} {{ surname }}", { givenName: "Zoë", surname: "" })).toEqual([]);
  });

  it("makes a part optional with default ''", () => {
    expect(run("{{ surname }}{{ ext.suffix | default '' }}", { surname: "puk", ext: {} })).toEqual(["puk"]);
    expect(
      run("{{ surname }}{{ ext.suffix | default '' }}", { surname: "puk", ext: { suffix: "2" } }),
    ).toEqual(["puk2"]);
  });

  it("yields one value per list element, and every combination of two lists", () => {
    expect(run("{{ roles }}@{{ vars.realm }}", { roles: ["student", "member"] })).toEqual([
      "student@mapping.nl",
      "member@mapping.nl",
    ]);
    expect(run("{{ roles }}:{{ groups }}", { roles: ["a", "b"], groups: ["1", "2"] })).toEqual([
      "a:1",
      "a:2",
      "b:1",
      "b:2",
    ]);
    expect(run("{{ roles }}", { roles: [] })).toEqual([]);
  });

  it("reports too many combinations as an evaluation error", () => {
    const many = Array.from({ length: 40 }, (_, i) => `v${i}`);
    const t = compileTemplate("{{ roles }}{{ groups }}", ctx);
    expect(40 * 40).toBeGreaterThan(MAX_TEMPLATE_VALUES);
    expect(() => t.evaluate({ src: { roles: many, groups: many }, vars: {}, attrs: [] })).toThrow(
      expect.objectContaining({ code: "MAPPING_EVAL" }),
    );
  });

  it("concatenates with ~ and binds filters tighter than ~", () => {
    expect(run("{{ givenName ~ ' ' ~ surname | upper }}", { givenName: "Zoë", surname: "Çelik" })).toEqual([
      "Zoë ÇELIK",
    ]);
    expect(run("{{ (givenName ~ ' ' ~ surname) | upper }}", { givenName: "Zoë", surname: "Çelik" })).toEqual([
      "ZOË ÇELIK",
    ]);
    expect(run("{{ givenName ~ '' ~ surname }}", { givenName: "a", surname: "b" })).toEqual(["ab"]);
  });

  it("reads literals, including quotes doubled inside them and }} inside them", () => {
    expect(run("{{ 'it''s' }}", {})).toEqual(["it's"]);
    expect(run("{{ 'a}}b' }}!", {})).toEqual(["a}}b!"]);
    expect(run("{{ 42 }}", {})).toEqual(["42"]);
  });

  it("reads ext keys, variables (the mapping's own win) and earlier attributes", () => {
    const scope = { vars: { realm: "caller.nl", brin: "11ZZ" }, attrs: [["p.puk"]] };
    expect(run("{{ ext.department }}", { ext: { department: "De Regenboog" } })).toEqual(["De Regenboog"]);
    expect(run("{{ ext.department }}", { ext: {} })).toEqual([]);
    expect(run("{{ ext.constructor }}", { ext: {} })).toEqual([]);
    expect(run("{{ vars.brin }}/{{ vars.realm }}", {}, scope)).toEqual(["11ZZ/mapping.nl"]);
    expect(run("{{ vars.toString }}", {}, scope)).toEqual([]);
    expect(run("uid={{ attrs.UID }},{{ vars.base }}", {}, scope)).toEqual(["uid=p.puk,ou=people,dc=x"]);
  });

  it("turns booleans into 'true' or no value", () => {
    expect(run("{{ enabled }}", { enabled: true })).toEqual(["true"]);
    expect(run("{{ enabled }}", { enabled: false })).toEqual([]);
    expect(toValues(["a", "", "b"])).toEqual(["a", "b"]);
    expect(toValues(7)).toEqual(["7"]);
  });

  it("parses into a syntax tree once", () => {
    expect(parseTemplate("x{{ a | f 'b' c }}")).toEqual({
      kind: "concat",
      parts: [
        { kind: "literal", value: "x" },
        {
          kind: "filter",
          name: "f",
          column: 9,
          source: "f 'b' c",
          input: { kind: "path", path: "a", column: 5 },
          args: [
            { kind: "literal", value: "b" },
            { kind: "path", path: "c", column: 15 },
          ],
        },
      ],
    });
  });

  it.each([
    ["{{ givenName", /'\{\{' has no matching '\}\}' at column 1/],
    ["x {{  }}", /empty '\{\{ \}\}' at column 3/],
    ["{{ givenName | }}", /expected a filter name but found the end/],
    ["{{ 'open }}", /no matching|no closing quote/],
    ["{{ givenName surname }}", /expected '\|', '~' or the end of the expression but found "surname"/],
    ["{{ givenName ~ }}", /expected a field, a 'literal' or '\(' but found the end/],
    ["{{ (givenName }}", /expected '\)'/],
    ["{{ givenName & surname }}", /unexpected character "&" at column 14/],
  ])("rejects %j with a message naming the spot", (template, message) => {
    expect(compileError(template)).toMatch(message);
  });

  it.each([
    ["{{ givenname }}", /unknown field "givenname"/],
    ["{{ surname.x }}", /field "surname" has no parts/],
    ["{{ ext }}", /field "ext" needs a key/],
    ["{{ ext.a.b }}", /too deep/],
    ["{{ vars }}", /`vars` needs a name/],
    ["{{ attrs.mail }}", /attrs.mail is not an attribute declared before this one/],
    ["{{ surname | lowr }}", /unknown filter "lowr"/],
  ])("rejects %j at compile time", (template, message) => {
    expect(compileError(template)).toMatch(message);
  });

  it("never evaluates a template as code", () => {
    expect(compileError("{{ constructor }}")).toMatch(/unknown field/);
    expect(compileError("{{ givenName | constructor }}")).toMatch(/unknown filter/);
    const code = ["$", "{process.exit(1)}"].join("");
    expect(run(code, {})).toEqual([code]);
  });
});
