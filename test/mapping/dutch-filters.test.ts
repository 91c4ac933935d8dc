import { describe, expect, it } from "vitest";
import { compileMapping } from "../../src/mapping/mapping.js";
import { PersonSchema } from "../../src/model/person.js";

const mapping = compileMapping(
  `version: 1
person:
  key: "uid={{ attrs.uid | dn }},dc=x"
  attributes:
    uid: "{{ givenName | login }}.{{ surname | login '' }}"
    sn: "{{ surname | achternaam }}"
    nlEduPersonTussenvoegsels: { value: "{{ surname | tussenvoegsel }}", when: "surname" }
    cn: "{{ surname | formal }}"
`,
  "dutch.yaml",
);

const map = (givenName: string, surname: string) => {
  const r = mapping.mapPerson(PersonSchema.parse({ source: "s", id: "1", givenName, surname }), {});
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.attrs;
};

describe("Dutch name filters in mappings", () => {
  it.each([
    ["Jan", "van der Berg", "jan.vanderberg", "Berg", ["van der"], "Van der Berg"],
    ["Zoë", "Çelik", "zoe.celik", "Çelik", undefined, "Çelik"],
    ["Anouk", "'t Hart", "anouk.thart", "Hart", ["'t"], "'t Hart"],
    ["Els", "Jansen-de Vries", "els.jansen-devries", "Jansen-de Vries", undefined, "Jansen-de Vries"],
  ])("%s %s", (given, surname, uid, sn, tv, cn) => {
    const attrs = map(given, surname);
    expect(attrs.uid).toEqual([uid]);
    expect(attrs.sn).toEqual([sn]);
    expect(attrs.nlEduPersonTussenvoegsels).toEqual(tv);
    expect(attrs.cn).toEqual([cn]);
  });
});
