import { describe, expect, it } from "vitest";
import {
  displayName,
  formalSurname,
  loginPart,
  sortName,
  splitSurname,
  TUSSENVOEGSELS,
} from "../../src/mapping/dutch-names.js";

const splits: [string, string, string][] = [
  ["van der Berg", "van der", "Berg"],
  ["Van der Berg", "van der", "Berg"],
  ["VAN DER Berg", "van der", "Berg"],
  ["van den Heuvel", "van den", "Heuvel"],
  ["van de Ven", "van de", "Ven"],
  ["van Dijk", "van", "Dijk"],
  ["Van Dijk", "van", "Dijk"],
  ["de Vries", "de", "Vries"],
  ["De Jong", "de", "Jong"],
  ["den Hartog", "den", "Hartog"],
  ["der Kinderen", "der", "Kinderen"],
  ["het Lam", "het", "Lam"],
  ["'t Hart", "'t", "Hart"],
  ["’t Hooft", "'t", "Hooft"],
  ["van 't Hek", "van 't", "Hek"],
  ["van't Hek", "van 't", "Hek"],
  ["in 't Veld", "in 't", "Veld"],
  ["ter Horst", "ter", "Horst"],
  ["ten Cate", "ten", "Cate"],
  ["te Riele", "te", "Riele"],
  ["op de Beek", "op de", "Beek"],
  ["op den Brouw", "op den", "Brouw"],
  ["uit den Bogaard", "uit den", "Bogaard"],
  ["uit de Weerd", "uit de", "Weerd"],
  ["van het Reve", "van het", "Reve"],
  ["d'Ancona", "d'", "Ancona"],
  ["D'Ancona", "d'", "Ancona"],
  ["D’Ancona", "d'", "Ancona"],
  ["de l'Orme", "de l'", "Orme"],
  ["la Fontaine", "la", "Fontaine"],
  ["le Roux", "le", "Roux"],
  ["du Pont", "du", "Pont"],
  ["von Bismarck", "von", "Bismarck"],
  ["von der Leyen", "von der", "Leyen"],
  ["de la Rie", "de la", "Rie"],
  ["voor in 't Holt", "voor in 't", "Holt"],
  ["van der  Berg ", "van der", "Berg"],
  ["Berg, van der", "van der", "Berg"],
  ["Dijk, Van", "van", "Dijk"],
  ["O'Neill", "", "O'Neill"],
  ["Jansen-de Vries", "", "Jansen-de Vries"],
  ["Jansen - de Vries", "", "Jansen - de Vries"],
  ["de Vries-van Dam", "de", "Vries-van Dam"],
  ["van Dijk-de Groot", "van", "Dijk-de Groot"],
  ["Bakker", "", "Bakker"],
  ["Çelik", "", "Çelik"],
  ["El Amrani", "", "El Amrani"],
  ["Van", "", "Van"],
  ["de", "", "de"],
  ["Vandenberg", "", "Vandenberg"],
  ["Devries", "", "Devries"],
  ["Tersteeg", "", "Tersteeg"],
  ["van Beethoven-Ludwig", "van", "Beethoven-Ludwig"],
  ["", "", ""],
];

describe("splitSurname", () => {
  it.each(splits)("%j → %j + %j", (full, tussenvoegsel, surname) => {
    expect(splitSurname(full)).toEqual({ tussenvoegsel, surname });
  });
  it("every listed tussenvoegsel is recognised before a surname", () => {
    for (const prefix of TUSSENVOEGSELS) {
      const full = prefix.endsWith("'") ? `${prefix}Ancona` : `${prefix} Berg`;
      expect(splitSurname(full).tussenvoegsel, prefix).toBe(prefix);
    }
  });
});

const forms: [string | undefined, string, string, string, string][] = [
  // given, tussenvoegsel, surname → display, sorted
  ["Jan", "van der", "Berg", "Jan van der Berg", "Berg, Jan van der"],
  ["Hedy", "d'", "Ancona", "Hedy d'Ancona", "Ancona, Hedy d'"],
  ["Maarten", "'t", "Hart", "Maarten 't Hart", "Hart, Maarten 't"],
  ["Zoë", "", "Çelik", "Zoë Çelik", "Çelik, Zoë"],
  ["Sanne", "", "Jansen-de Vries", "Sanne Jansen-de Vries", "Jansen-de Vries, Sanne"],
  [undefined, "van", "Dijk", "Van Dijk", "Dijk, Van"],
  [undefined, "van der", "Berg", "Van der Berg", "Berg, Van der"],
  [undefined, "'t", "Hart", "'t Hart", "Hart, 't"],
  [undefined, "", "Bakker", "Bakker", "Bakker"],
  ["  Jan  ", " van  der ", " Berg ", "Jan van der Berg", "Berg, Jan van der"],
];

describe("display and sorted forms", () => {
  it.each(forms)("%s / %s / %s", (givenName, tussenvoegsel, surname, display, sorted) => {
    const parts = { surname, tussenvoegsel, ...(givenName === undefined ? {} : { givenName }) };
    expect(displayName(parts)).toBe(display);
    expect(sortName(parts)).toBe(sorted);
  });
  it("formal surname capitalises the tussenvoegsel except an apostrophe form", () => {
    expect(formalSurname({ tussenvoegsel: "van der", surname: "Berg" })).toBe("Van der Berg");
    expect(formalSurname({ tussenvoegsel: "d'", surname: "Ancona" })).toBe("D'Ancona");
    expect(formalSurname({ tussenvoegsel: "'t", surname: "Hart" })).toBe("'t Hart");
    expect(formalSurname({ surname: "Bakker" })).toBe("Bakker");
  });
  it.each([
    ["Van der Berg", "Jan van der Berg"],
    ["D’Ancona", "Jan d'Ancona"],
    ["van't Hek", "Jan van 't Hek"],
    ["Berg, van der", "Jan van der Berg"],
    ["Jansen-de Vries", "Jan Jansen-de Vries"],
  ])("split %j then display with a given name: %j", (full, display) => {
    expect(displayName({ givenName: "Jan", ...splitSurname(full) })).toBe(display);
  });
});

const logins: [string, string][] = [
  ["Zoë Çelik", "zoe.celik"],
  ["Zoë", "zoe"],
  ["Çelik", "celik"],
  ["Jan van der Berg", "jan.van.der.berg"],
  ["'t Hart", "t.hart"],
  ["O'Neill", "oneill"],
  ["D'Ancona", "dancona"],
  ["D’Ancona", "dancona"],
  ["Jansen-de Vries", "jansen-de.vries"],
  ["Jansen - de Vries", "jansen-de.vries"],
  ["Ångström", "angstrom"],
  ["Øster", "oster"],
  ["Strauß", "strauss"],
  ["Æsop", "aesop"],
  ["Łukasz", "lukasz"],
  ["Ĳsbrand", "ijsbrand"],
  ["İlker Yılmaz", "ilker.yilmaz"],
  ["François", "francois"],
  ["Noël", "noel"],
  ["Anne-Marie", "anne-marie"],
  ["  Pietje   Puk  ", "pietje.puk"],
  ["Puk!", "puk"],
  ["Дмитрий", ""],
  ["Œuvre", "oeuvre"],
  ["Đorđe", "dorde"],
  ["José María", "jose.maria"],
];

describe("loginPart", () => {
  it.each(logins)("%j → %j", (input, login) => {
    expect(loginPart(input)).toBe(login);
  });
  it("joins with another separator, or none", () => {
    expect(loginPart("van der Berg", "")).toBe("vanderberg");
    expect(loginPart("Zoë Çelik", "_")).toBe("zoe_celik");
  });
  it("never yields characters unsafe in a login", () => {
    for (const [input] of [...logins, ...splits.map(([f]) => [f] as [string])]) {
      expect(loginPart(input)).toMatch(/^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*)?$/);
    }
  });
  it("display names keep diacritics", () => {
    expect(displayName({ givenName: "Zoë", surname: "Çelik" })).toBe("Zoë Çelik");
  });
});
