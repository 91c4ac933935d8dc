import { describe, expect, it } from "vitest";
import { escapeDnValue, formatDn, normalizeDn, parentDn, parseDn } from "../../src/model/dn.js";

describe("DN handling", () => {
  const nasty = [
    " leading",
    "trailing ",
    "#hash",
    "a,b",
    "a+b",
    'q"uote',
    "back\\slash",
    "<lt>",
    "semi;colon",
    "eq=ual",
    "Zoë Çelik",
    "nul\0byte",
  ];
  it.each(nasty)("round-trips %j through escape and parse", (v) => {
    const dn = `uid=${escapeDnValue(v)},ou=people,dc=example,dc=nl`;
    const rdns = parseDn(dn);
    expect(rdns).toHaveLength(4);
    expect(rdns[0]?.[0]).toEqual({ type: "uid", value: v });
    expect(formatDn(rdns)).toBe(dn);
  });
  it("decodes hex escapes as UTF-8", () => {
    expect(parseDn("cn=Zo\\C3\\AB,dc=x")[0]?.[0]?.value).toBe("Zoë");
  });
  it("normalizes case and escaping for comparison", () => {
    expect(normalizeDn("UID=Piet , OU=People,dc=X")).toBe(normalizeDn("uid=piet,ou=people,dc=x"));
  });
  it("gives the parent", () => {
    expect(parentDn("uid=a\\,b,ou=p,dc=x")).toBe("ou=p,dc=x");
  });
  it("rejects malformed DNs", () => {
    expect(() => parseDn("uid")).toThrow(TypeError);
    expect(() => parseDn("=x,")).toThrow(TypeError);
  });
});
