import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isOverstapError } from "../../src/errors.js";
import { registerFilter } from "../../src/mapping/filters.js";
import { compileMapping, loadMapping, type MapResult } from "../../src/mapping/mapping.js";
import { type GroupInput, GroupSchema, type PersonInput, PersonSchema } from "../../src/model/index.js";

const docs = await readFile(new URL("../../docs/mapping.md", import.meta.url), "utf8");
const DOCS_EXAMPLE = /```yaml\n([\s\S]*?)```/.exec(docs)?.[1] ?? "";

const person = (input: Partial<PersonInput>) => PersonSchema.parse({ source: "las", id: "1", ...input });
const group = (input: Partial<GroupInput>) =>
  GroupSchema.parse({ source: "las", id: "g1", name: "8B", ...input });
const VARS = { realm: "voorbeeld.nl", institution: "Stichting Voorbeeld", brin: "99XX" };

function ok(result: MapResult | null): { key: string; attrs: Record<string, string[]> } {
  if (!result?.ok) throw new Error(`expected success, got ${JSON.stringify(result)}`);
  return result;
}

function errors(result: MapResult | null): { field: string; reason: string }[] {
  if (!result || result.ok) throw new Error(`expected errors, got ${JSON.stringify(result)}`);
  return result.errors;
}

function compileError(text: string): string {
  try {
    compileMapping(text, "mappings/school.yaml");
  } catch (err) {
    if (isOverstapError(err, "MAPPING_INVALID")) return err.message;
    throw err;
  }
  throw new Error("expected the mapping not to compile");
}

/** A mapping whose person attributes are the given YAML lines (indented by four). */
function withAttributes(...lines: string[]): string {
  return [
    "version: 1",
    "person:",
    '  key: "uid={{ id | dn }},dc=x"',
    "  attributes:",
    ...lines.map((l) => `    ${l}`),
  ]
    .join("\n")
    .concat("\n");
}

describe("the example in docs/mapping.md", () => {
  const mapping = compileMapping(DOCS_EXAMPLE, "docs/mapping.md");

  it("compiles and lists the attributes in declaration order", () => {
    expect(DOCS_EXAMPLE).toContain("version: 1");
    expect(mapping.attributes.person.slice(0, 4)).toEqual(["objectClass", "uid", "givenName", "sn"]);
    expect(mapping.attributes.person).toHaveLength(13);
    expect(mapping.attributes.group).toEqual(["objectClass", "cn", "description"]);
    expect(mapping.vars).toEqual({
      peopleBase: "ou=people,dc=voorbeeld,dc=nl",
      groupBase: "ou=groups,dc=voorbeeld,dc=nl",
    });
    expect(mapping.hash).toBe(createHash("sha256").update(DOCS_EXAMPLE).digest("hex"));
  });

  it("maps the pupil described there", () => {
    const zoe = person({ givenName: "Zoë", surname: "Çelik", roles: ["leerling"], number: "140136" });
    const { key, attrs } = ok(mapping.mapPerson({ ...zoe, ext: { department: "De Regenboog" } }, VARS));
    expect(key).toBe("uid=z.celik,ou=people,dc=voorbeeld,dc=nl");
    expect(attrs).toEqual({
      objectClass: ["inetOrgPerson", "eduPerson"],
      uid: ["z.celik"],
      givenName: ["Zoë"],
      sn: ["Çelik"],
      cn: ["Zoë Çelik"],
      eduPersonAffiliation: ["student"],
      eduPersonScopedAffiliation: ["student@voorbeeld.nl"],
      eduPersonPrincipalName: ["z.celik@voorbeeld.nl"],
      nlEduPersonHomeOrganizationId: ["11ZZ"],
      nlEduPersonHomeOrganization: ["Stichting Voorbeeld"],
      employeeNumber: ["140136"],
    });
  });

  it("maps a director with two affiliations, a tussenvoegsel and mail, falling back to brin", () => {
    const director = person({
      givenName: " Jan-Willem ",
      tussenvoegsel: "van der",
      surname: "Berg-D'Ancona",
      displayName: "J.W. van der Berg",
      mail: "JW.Berg@Voorbeeld.NL",
      roles: ["directeur"],
      brin: "20DP",
      ext: { employeeId: "E-17" },
    });
    const { key, attrs } = ok(mapping.mapPerson(director, VARS));
    expect(key).toBe("uid=j.berg-dancona,ou=people,dc=voorbeeld,dc=nl");
    expect(attrs.givenName).toEqual(["Jan-Willem"]);
    expect(attrs.nlEduPersonTussenvoegsels).toEqual(["van der"]);
    expect(attrs.cn).toEqual(["J.W. van der Berg"]);
    expect(attrs.mail).toEqual(["jw.berg@voorbeeld.nl"]);
    expect(attrs.eduPersonAffiliation).toEqual(["employee", "staff"]);
    expect(attrs.eduPersonScopedAffiliation).toEqual(["employee@voorbeeld.nl", "staff@voorbeeld.nl"]);
    expect(attrs.nlEduPersonHomeOrganizationId).toEqual(["20DP"]);
    expect(attrs.employeeNumber).toEqual(["E-17"]);
  });

  it("maps a group, escaping its name in the key", () => {
    const { key, attrs } = ok(
      mapping.mapGroup(group({ name: "Groep 8, Kompas", displayName: "Groep 8" }), VARS),
    );
    expect(key).toBe("cn=Groep 8\\, Kompas,ou=groups,dc=voorbeeld,dc=nl");
    expect(attrs).toEqual({
      objectClass: ["groupOfNames"],
      cn: ["Groep 8, Kompas"],
      description: ["Groep 8"],
    });
  });

  it("reports what is missing instead of throwing", () => {
    const result = mapping.mapPerson(person({ givenName: "Zoë", roles: ["leerling"] }), VARS);
    expect(errors(result)).toEqual([
      { field: "uid", reason: "required attribute is empty: surname has no value" },
      { field: "sn", reason: "required attribute is empty: surname has no value" },
      { field: "cn", reason: "required attribute is empty: displayName, surname have no value" },
      { field: "eduPersonPrincipalName", reason: "required attribute is empty: attrs.uid has no value" },
      {
        field: "nlEduPersonHomeOrganizationId",
        reason: "required attribute is empty: ext.department, brin have no value",
      },
      {
        field: "employeeNumber",
        reason: "required attribute is empty: number, ext.employeeId have no value",
      },
      { field: "key", reason: "the key template gave no value: attrs.uid has no value" },
    ]);
  });

  it("says when a lookup, not a field, left an attribute empty", () => {
    const result = mapping.mapPerson(
      person({ givenName: "A", surname: "B", roles: ["conciërge"], brin: "11ZZ", ext: { employeeId: "1" } }),
      VARS,
    );
    expect(errors(result)).toEqual([
      { field: "eduPersonAffiliation", reason: expect.stringMatching(/filters left no value.*lookup/) },
      {
        field: "eduPersonScopedAffiliation",
        reason: "required attribute is empty: attrs.eduPersonAffiliation has no value",
      },
    ]);
  });
});

describe("attribute forms", () => {
  it("lets every matching alternative contribute, in order, without duplicates", () => {
    const mapping = compileMapping(
      withAttributes(
        "eduPersonAffiliation:",
        "  - { value: student, when: \"roles contains 'leerling'\" }",
        "  - { value: employee, when: \"roles contains 'leraar'\" }",
        "  - { value: member }",
        "  - { value: student, when: \"roles contains 'leerling'\" }",
      ),
      "m.yaml",
    );
    const both = ok(mapping.mapPerson(person({ roles: ["leraar", "leerling"] }), {}));
    expect(both.attrs.eduPersonAffiliation).toEqual(["student", "employee", "member"]);
    const none = ok(mapping.mapPerson(person({ roles: [] }), {}));
    expect(none.attrs.eduPersonAffiliation).toEqual(["member"]);
  });

  it("mixes constants and templates in a list, dropping empty values", () => {
    const mapping = compileMapping(
      withAttributes('mailAlternate: ["{{ mail }}", "{{ login }}", "x@y.nl", "x@y.nl"]'),
      "m.yaml",
    );
    expect(ok(mapping.mapPerson(person({ login: "p@y.nl" }), {})).attrs.mailAlternate).toEqual([
      "p@y.nl",
      "x@y.nl",
    ]);
  });

  it("treats conditional alternatives as optional and unconditional ones as required, unless told", () => {
    const mapping = compileMapping(
      withAttributes(
        'mail: { value: "{{ mail }}", when: "mail" }',
        'displayName: { value: "{{ displayName }}", required: false }',
        'sn: { value: "{{ surname }}", when: "not brin", required: true }',
        'givenName: "{{ givenName }}"',
      ),
      "m.yaml",
    );
    expect(ok(mapping.mapPerson(person({ givenName: "Z", surname: "P" }), {})).attrs).toEqual({
      givenName: ["Z"],
      sn: ["P"],
    });
    expect(errors(mapping.mapPerson(person({}), {}))).toEqual([
      { field: "sn", reason: "required attribute is empty: surname has no value" },
      { field: "givenName", reason: "required attribute is empty: givenName has no value" },
    ]);
  });

  it("says when no alternative applied to a required attribute", () => {
    const mapping = compileMapping(
      withAttributes('sn: { value: "{{ surname }}", when: "brin", required: true }'),
      "m.yaml",
    );
    expect(errors(mapping.mapPerson(person({ surname: "P" }), {}))).toEqual([
      {
        field: "sn",
        reason: "required attribute is empty: no alternative applies (every when condition is false)",
      },
    ]);
  });

  it("gives the mapping's vars precedence over the caller's", () => {
    const text = `version: 1\nvars: { realm: school.nl, year: 2025 }\nperson:\n  key: "uid={{ id }}@{{ vars.realm }}"\n  attributes:\n    description: "{{ vars.year }} {{ vars.brin }}"\n`;
    const mapping = compileMapping(text, "m.yaml");
    expect(mapping.vars).toEqual({ realm: "school.nl", year: "2025" });
    const { key, attrs } = ok(mapping.mapPerson(person({}), { realm: "caller.nl", brin: "11ZZ" }));
    expect(key).toBe("uid=1@school.nl");
    expect(attrs.description).toEqual(["2025 11ZZ"]);
  });

  it("returns null for groups when there is no group section", () => {
    const mapping = compileMapping(withAttributes("cn: x"), "m.yaml");
    expect(mapping.mapGroup(group({}), {})).toBeNull();
    expect(mapping.attributes.group).toEqual([]);
  });
});

describe("evaluation errors never throw", () => {
  it("reports a key with several values or an empty RDN value", () => {
    const several = compileMapping(
      'version: 1\nperson:\n  key: "uid={{ roles }},dc=x"\n  attributes: { cn: x }\n',
      "m.yaml",
    );
    expect(errors(several.mapPerson(person({ roles: ["a", "b"] }), {}))).toEqual([
      { field: "key", reason: "the key template gave 2 values; it must give one (use the first filter)" },
    ]);
    const empty = compileMapping(
      'version: 1\nperson:\n  key: "uid={{ id }},ou= ,dc=x"\n  attributes: {}\n',
      "m.yaml",
    );
    expect(errors(empty.mapPerson(person({}), {}))).toEqual([
      { field: "key", reason: "the key has an empty ou value" },
    ]);
  });

  it("accepts an escaped '=' and a non-DN key", () => {
    const dn = compileMapping(
      'version: 1\nperson:\n  key: "cn={{ surname | dn }},dc=x"\n  attributes: {}\n',
      "m.yaml",
    );
    expect(ok(dn.mapPerson(person({ surname: "a=" }), {})).key).toBe("cn=a\\=,dc=x");
    const plain = compileMapping('version: 1\nperson:\n  key: "{{ id }}"\n  attributes: {}\n', "m.yaml");
    expect(ok(plain.mapPerson(person({ id: "abc" }), {})).key).toBe("abc");
  });

  it("turns a failing filter and an overly long regex input into errors for that field only", () => {
    registerFilter("explodeTest", {
      args: 0,
      usage: "explodeTest",
      compile: () => () => {
        throw new Error("boom");
      },
    });
    const mapping = compileMapping(
      withAttributes(
        'a: "{{ surname | explodeTest }}"',
        "b: \"{{ surname | replace 'x' 'y' }}\"",
        'c: "{{ surname | truncate 2 }}"',
        "d: { value: yes, when: \"surname matches '^a'\" }",
      ),
      "m.yaml",
    );
    expect(errors(mapping.mapPerson(person({ surname: "a".repeat(1500) }), {}))).toEqual([
      { field: "a", reason: "a filter failed: boom" },
      {
        field: "b",
        reason: "a value of 1500 characters is longer than the 1000 a regular expression is run on",
      },
      {
        field: "d",
        reason: "a value of 1500 characters is longer than the 1000 a regular expression is run on",
      },
    ]);
  });

  it("never leaks the result's arrays into the person or between results", () => {
    const mapping = compileMapping(
      withAttributes('memberOf: "{{ groups }}"', "objectClass: [top]"),
      "m.yaml",
    );
    const p = person({ groups: ["g1"] });
    const first = ok(mapping.mapPerson(p, {}));
    first.attrs.memberOf?.push("changed");
    first.attrs.objectClass?.push("changed");
    expect(p.groups).toEqual(["g1"]);
    expect(ok(mapping.mapPerson(p, {})).attrs).toEqual({ memberOf: ["g1"], objectClass: ["top"] });
  });
});

describe("compile errors name file, line and key", () => {
  it.each([
    [
      "an unknown top-level key",
      "version: 1\nperson:\n  key: x\n  attributes: {}\npersons:\n  key: y\n",
      "mappings/school.yaml:5: persons: unknown key; expected one of version, vars, lookups, person, group",
    ],
    [
      "an unknown section key",
      "version: 1\nperson:\n  key: x\n  attribtues: {}\n",
      "mappings/school.yaml:4: person.attribtues: unknown key; expected one of key, attributes",
    ],
    [
      "a missing person.key",
      "version: 1\nvars: {}\nperson:\n  attributes:\n    cn: x\n",
      "mappings/school.yaml:3: person.key: is missing: give the key template",
    ],
    [
      "a missing person section",
      "version: 1\n",
      "mappings/school.yaml:1: person: is missing: a mapping needs a person section",
    ],
    [
      "a wrong version",
      "version: 2\nperson: { key: x, attributes: {} }\n",
      "mappings/school.yaml:1: version: must be 1",
    ],
    [
      "an unknown filter",
      withAttributes("cn: x", 'uid: "{{ surname | lowr }}"'),
      'mappings/school.yaml:6: person.attributes.uid: unknown filter "lowr"',
    ],
    [
      "a wrong argument count",
      withAttributes("cn: x", "uid:", "  - \"{{ surname | replace 'a' }}\""),
      "mappings/school.yaml:7: person.attributes.uid.0: filter replace takes 2 arguments but got 1 in \"replace 'a'\"",
    ],
    [
      "an unknown lookup table",
      withAttributes("eduPersonAffiliation:", "  value: \"{{ roles | lookup 'rollen' }}\"", "  when: roles"),
      'mappings/school.yaml:6: person.attributes.eduPersonAffiliation.value: lookup table "rollen" is not defined',
    ],
    [
      "bad condition syntax",
      withAttributes("employeeNumber:", '  - value: "{{ number }}"', '    when: "roles contains"'),
      "mappings/school.yaml:7: person.attributes.employeeNumber.0.when: expected a field or a 'literal' but found the end at column 15 of \"roles contains\"",
    ],
    [
      "an unknown field",
      withAttributes('sn: "{{ surnaem }}"'),
      'mappings/school.yaml:5: person.attributes.sn: unknown field "surnaem"',
    ],
    [
      "an attribute used before it is declared",
      withAttributes('eduPersonPrincipalName: "{{ attrs.uid }}@x"', 'uid: "{{ id }}"'),
      "mappings/school.yaml:5: person.attributes.eduPersonPrincipalName: attrs.uid is not an attribute declared before this one",
    ],
    [
      "an attribute declared twice",
      withAttributes("cn: a", "CN: b"),
      "mappings/school.yaml:6: person.attributes.CN: is declared twice (attribute names are case-insensitive)",
    ],
    [
      "a bad key template",
      'version: 1\nperson:\n  attributes: {}\n  key: "uid={{ id | dn },dc=x"\n',
      "mappings/school.yaml:4: person.key: '{{' has no matching '}}' at column 5 of \"uid={{ id | dn },dc=x\"",
    ],
    [
      "an unknown key in an alternative",
      withAttributes("mail:", '  value: "{{ mail }}"', "  whne: mail"),
      "mappings/school.yaml:7: person.attributes.mail.whne: unknown key; expected value, when or required",
    ],
    [
      "a bad lookup table",
      "version: 1\nlookups:\n  rollen:\n    leerling: { a: b }\nperson: { key: x, attributes: {} }\n",
      "mappings/school.yaml:4: lookups.rollen.leerling: must be a string or a list of strings",
    ],
    [
      "an unsafe regex in a group section",
      "version: 1\nperson: { key: x, attributes: {} }\ngroup:\n  key: x\n  attributes:\n    cn: { value: x, when: \"name matches '(a+)+'\" }\n",
      'mappings/school.yaml:6: group.attributes.cn.when: regular expression "(a+)+" repeats a group that itself repeats (nested quantifier)',
    ],
    [
      "a person field in the group section",
      'version: 1\nperson: { key: x, attributes: {} }\ngroup:\n  key: x\n  attributes:\n    cn: "{{ surname }}"\n',
      'mappings/school.yaml:6: group.attributes.cn: unknown field "surname"',
    ],
  ])("%s", (_, text, message) => {
    expect(compileError(text)).toBe(message);
  });

  it("carries a hint on what to do", () => {
    try {
      compileMapping(withAttributes('uid: "{{ surname | lowr }}"'), "m.yaml");
      expect.unreachable();
    } catch (err) {
      expect(isOverstapError(err, "MAPPING_INVALID") && err.hint).toMatch(/Known filters: .*lower/);
    }
  });
});

describe("loadMapping", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("reads and compiles a file, naming it in errors", async () => {
    const dir = await mkdtemp(join(tmpdir(), "overstap-mapping-"));
    dirs.push(dir);
    await writeFile(join(dir, "good.yaml"), withAttributes("cn: x"));
    await writeFile(join(dir, "bad.yaml"), withAttributes('cn: "{{ nope }}"'));
    const mapping = await loadMapping(join(dir, "good.yaml"));
    expect(ok(mapping.mapPerson(person({}), {})).attrs).toEqual({ cn: ["x"] });
    await expect(loadMapping(join(dir, "bad.yaml"))).rejects.toThrow(
      `${join(dir, "bad.yaml")}:5: person.attributes.cn`,
    );
    await expect(loadMapping(join(dir, "missing.yaml"))).rejects.toMatchObject({ code: "MAPPING_INVALID" });
  });
});
