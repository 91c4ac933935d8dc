import { describe, expect, it } from "vitest";
import { isOverstapError } from "../../src/errors.js";
import {
  composeFilters,
  eachValue,
  type FilterFn,
  filterNames,
  foldAscii,
  getFilter,
  registerFilter,
} from "../../src/mapping/filters.js";
import { compileTemplate, type TemplateContext } from "../../src/mapping/template.js";
import type { Values } from "../../src/mapping/template-scope.js";

const ctx: TemplateContext = {
  fields: new Map<string, "value" | "map">([
    ["givenName", "value"],
    ["surname", "value"],
    ["mail", "value"],
    ["roles", "value"],
    ["displayName", "value"],
    ["ext", "map"],
  ]),
  attrs: new Map(),
  lookups: new Map([
    [
      "affiliation",
      new Map<string, Values>([
        ["leerling", ["student"]],
        ["leraar", ["employee"]],
        ["directeur", ["employee", "staff"]],
      ]),
    ],
  ]),
};

function run(template: string, src: Record<string, unknown> = {}, vars: Record<string, string> = {}): Values {
  return compileTemplate(template, ctx).evaluate({ src, vars, attrs: [] });
}

function compileError(template: string): string {
  try {
    compileTemplate(template, ctx);
  } catch (err) {
    if (isOverstapError(err, "MAPPING_INVALID")) return err.message;
    throw err;
  }
  throw new Error(`expected ${template} not to compile`);
}

describe("built-in filters", () => {
  it("lower and upper are locale-independent and keep diacritics", () => {
    expect(run("{{ surname | lower }}", { surname: "ÇELİK-ÖZDEMİR" })).toEqual(["çeli̇k-özdemi̇r"]);
    expect(run("{{ surname | upper }}", { surname: "van der Meulen-ßé" })).toEqual(["VAN DER MEULEN-SSÉ"]);
  });

  it("trim removes surrounding whitespace, including non-breaking spaces", () => {
    expect(run("{{ givenName | trim }}", { givenName: "\u00a0 Zoë \t" })).toEqual(["Zoë"]);
    expect(run("{{ givenName | trim }}", { givenName: "   " })).toEqual([]);
  });

  it.each([
    ["Zoë", "Zoe"],
    ["François", "Francois"],
    ["Ørsted", "Orsted"],
    ["Æsa", "AEsa"],
    ["Straße", "Strasse"],
    ["Łukasz Wałęsa", "Lukasz Walesa"],
    ["Dvořák", "Dvorak"],
    ["Şükrü Çağlar", "Sukru Caglar"],
    ["Þór Guðmundsson", "THor Gudmundsson"],
    ["O\u2019Brien", "O'Brien"],
    ["ĳsbrand", "ijsbrand"],
    ["Ελένη", ""],
    ["Zoe\u0308", "Zoe"],
  ])("ascii folds %j to %j", (input, folded) => {
    expect(foldAscii(input)).toBe(folded);
    expect(run("{{ givenName | ascii }}", { givenName: input })).toEqual(folded ? [folded] : []);
  });

  it("initial takes the first letter, skipping leading punctuation and whitespace", () => {
    expect(run("{{ givenName | initial }}", { givenName: "Jan-Willem" })).toEqual(["J"]);
    expect(run("{{ givenName | initial }}", { givenName: "Élodie" })).toEqual(["É"]);
    expect(run("{{ givenName | initial }}", { givenName: " 'Ömer" })).toEqual(["Ö"]);
    expect(run("{{ givenName | initial }}", { givenName: "1234" })).toEqual([]);
  });

  it("localpart and domain split an e-mail address at its last @", () => {
    expect(run("{{ mail | localpart }}", { mail: "zoë.çelik@school.nl" })).toEqual(["zoë.çelik"]);
    expect(run("{{ mail | domain }}", { mail: '"a@b"@school.nl' })).toEqual(["school.nl"]);
    expect(run("{{ mail | localpart }}", { mail: "no-at-sign" })).toEqual([]);
    expect(run("{{ mail | domain }}", { mail: "trailing@" })).toEqual([]);
  });

  it("replace substitutes every match, with groups, on unicode text", () => {
    expect(run("{{ surname | replace '[^a-z0-9-]' '' }}", { surname: "d'ørsted van-den berg" })).toEqual([
      "drstedvan-denberg",
    ]);
    expect(run("{{ mail | replace '^(\\w+)\\.(\\w+)@' '$2.$1@' }}", { mail: "jan.smit@x.nl" })).toEqual([
      "smit.jan@x.nl",
    ]);
    expect(run("{{ givenName | replace '\\p{Lu}' '*' }}", { givenName: "ÉmileZoë" })).toEqual(["*mile*oë"]);
    expect(run("{{ givenName | replace '.' '' }}", { givenName: "abc" })).toEqual([]);
  });

  it("replace refuses patterns that can backtrack catastrophically and bad syntax", () => {
    expect(compileError("{{ surname | replace '(a+)+$' '' }}")).toMatch(/nested quantifier/);
    expect(compileError("{{ surname | replace '(a|aa)*b' '' }}")).toMatch(/alternatives/);
    expect(compileError("{{ surname | replace '(\\w)\\1' '' }}")).toMatch(/backreference/);
    expect(compileError("{{ surname | replace '[a-' '' }}")).toMatch(/is invalid/);
    expect(compileError("{{ surname | replace surname '' }}")).toMatch(/needs a regex written as a literal/);
  });

  it("replace on a value longer than the regex limit is an evaluation error, not a hang", () => {
    const t = compileTemplate("{{ surname | replace 'a' 'b' }}", ctx);
    expect(() => t.evaluate({ src: { surname: "a".repeat(5000) }, vars: {}, attrs: [] })).toThrow(
      /longer than/,
    );
  });

  it("default applies only when there is no value, and takes a path, literal or expression", () => {
    expect(run("{{ displayName | default 'Onbekend' }}", {})).toEqual(["Onbekend"]);
    expect(run("{{ displayName | default 'Onbekend' }}", { displayName: "Zoë" })).toEqual(["Zoë"]);
    expect(run("{{ displayName | default surname }}", { surname: "Çelik" })).toEqual(["Çelik"]);
    expect(
      run("{{ displayName | default (givenName ~ ' ' ~ surname) }}", { givenName: "Zoë", surname: "Çelik" }),
    ).toEqual(["Zoë Çelik"]);
    expect(run("{{ displayName | default (givenName ~ ' ' ~ surname) }}", { givenName: "Zoë" })).toEqual([]);
  });

  it("lookup maps every value through a table; unknown keys give no value", () => {
    expect(run("{{ roles | lookup 'affiliation' }}", { roles: ["leerling"] })).toEqual(["student"]);
    expect(
      run("{{ roles | lookup 'affiliation' }}", { roles: ["leraar", "conciërge", "directeur"] }),
    ).toEqual(["employee", "employee", "staff"]);
    expect(run("{{ roles | lookup 'affiliation' }}", { roles: ["Leerling"] })).toEqual([]);
    expect(compileError("{{ roles | lookup 'rollen' }}")).toMatch(/lookup table "rollen" is not defined/);
  });

  it("first, join and split work on lists", () => {
    expect(run("{{ roles | first }}", { roles: ["leraar", "leerling"] })).toEqual(["leraar"]);
    expect(run("{{ roles | first }}", { roles: [] })).toEqual([]);
    expect(run("{{ roles | join ';' }}", { roles: ["a", "b", "c"] })).toEqual(["a;b;c"]);
    expect(run("{{ ext.klassen | split ',' }}", { ext: { klassen: "8A,,8B" } })).toEqual(["8A", "8B"]);
    expect(run("{{ ext.klassen | split ',' | join ' / ' }}", { ext: { klassen: "8A,8B" } })).toEqual([
      "8A / 8B",
    ]);
    expect(compileError("{{ roles | split '' }}")).toMatch(/non-empty separator/);
  });

  it("dn escapes RFC 4514 specials and leaves plain values alone", () => {
    expect(run("{{ surname | dn }}", { surname: "Puk, P." })).toEqual(["Puk\\, P."]);
    expect(run("{{ surname | dn }}", { surname: "#1 a+b" })).toEqual(["\\#1 a\\+b"]);
    expect(run("{{ surname | dn }}", { surname: " Zoë " })).toEqual(["\\ Zoë\\ "]);
    expect(run("{{ surname | dn }}", { surname: "Çelik" })).toEqual(["Çelik"]);
  });

  it("truncate counts characters, never splitting a surrogate pair", () => {
    expect(run("{{ surname | truncate 3 }}", { surname: "Çelikkaya" })).toEqual(["Çel"]);
    expect(run("{{ surname | truncate 2 }}", { surname: "😀😀😀" })).toEqual(["😀😀"]);
    expect(run("{{ surname | truncate 20 }}", { surname: "kort" })).toEqual(["kort"]);
    expect(compileError("{{ surname | truncate 0 }}")).toMatch(/positive whole number/);
    expect(compileError("{{ surname | truncate 'x' }}")).toMatch(/positive whole number/);
  });

  it("per-value filters map over lists element-wise and drop values that become empty", () => {
    expect(run("{{ roles | upper }}", { roles: ["leerling", "leraar"] })).toEqual(["LEERLING", "LERAAR"]);
    expect(run("{{ roles | replace '^x$' '' | upper }}", { roles: ["x", "y"] })).toEqual(["Y"]);
  });

  it("checks the argument count of each filter", () => {
    expect(compileError("{{ surname | lower 'x' }}")).toMatch(/filter lower takes 0 arguments but got 1/);
    expect(compileError("{{ surname | replace 'x' }}")).toMatch(/filter replace takes 2 arguments but got 1/);
    expect(compileError("{{ surname | default }}")).toMatch(/filter default takes 1 argument but got 0/);
  });
});

describe("the filter registry", () => {
  it("lists the built-in filters", () => {
    for (const name of ["lower", "upper", "trim", "ascii", "initial", "localpart", "domain", "replace"]) {
      expect(filterNames()).toContain(name);
    }
    for (const name of ["default", "lookup", "first", "join", "split", "dn", "truncate"]) {
      expect(getFilter(name)?.usage).toMatch(new RegExp(`^${name}`));
    }
  });

  it("lets another module add a filter that mappings can then use", () => {
    registerFilter("reverseTest", {
      args: 0,
      usage: "reverseTest",
      compile: () => eachValue((v) => [...v].reverse().join("")),
    });
    expect(run("{{ surname | reverseTest | upper }}", { surname: "Zoë" })).toEqual(["ËOZ"]);
  });

  it("passes compiled arguments to a registered filter", () => {
    registerFilter("suffixTest", {
      args: [1, 2],
      usage: "suffixTest VALUE [SEP]",
      compile:
        ([value, sep]) =>
        (values, scope) => {
          const suffix = value?.evaluate(scope)[0] ?? "";
          return values.map((v) => `${v}${sep?.literal ?? "-"}${suffix}`);
        },
    });
    expect(run("{{ surname | suffixTest givenName }}", { surname: "Puk", givenName: "Piet" })).toEqual([
      "Puk-Piet",
    ]);
    expect(run("{{ surname | suffixTest 'x' '+' }}", { surname: "Puk" })).toEqual(["Puk+x"]);
    expect(compileError("{{ surname | suffixTest }}")).toMatch(/takes 1 to 2 arguments/);
  });

  it("refuses duplicate and badly formed names", () => {
    const noop = { args: 0, usage: "x", compile: (): FilterFn => (v) => v };
    expect(() => registerFilter("lower", noop)).toThrow(/already registered/);
    expect(() => registerFilter("Bad-Name", noop)).toThrow(/lower camel case/);
  });

  it("fuses runs of per-value filters without changing the result", () => {
    const lower = eachValue((v) => v.toLowerCase());
    const strip = eachValue((v) => v.replace(/-/g, ""));
    const firstOnly: FilterFn = (values) => values.slice(0, 1);
    const composed = composeFilters([lower, strip, firstOnly, lower]);
    const scope = { src: {}, vars: {}, attrs: [] };
    expect(composed(["A-B", "C-D"], scope)).toEqual(["ab"]);
    expect(composed(["-"], scope)).toEqual([]);
  });
});
