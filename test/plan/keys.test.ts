import { describe, expect, it } from "vitest";
import { normalizeDn, parseDn } from "../../src/model/dn.js";
import { anchorFor, firstRdn, normKey } from "../../src/plan/keys.js";
import { seededRandom } from "../support/prng.js";

const DNS = [
  "uid=jan,ou=people,dc=x",
  " uid = jan  ,ou=x",
  "uid=  j an \t,dc=x",
  "uid=",
  "uid=,dc=x",
  " =x",
  "uid=x, =y",
  "uid=x,",
  "",
  "uid=a=b",
  "uid=a+cn=b,dc=x",
  "uid=a\\,b,dc=x",
  'uid="q, r",dc=x',
  "u id=x",
  "uid=#x",
  "uid=Zoë,dc=x",
  "uid=x;dc=y",
  "uid=x,,dc=y",
  "\tuid=x",
  "uid=\\4a\\c3\\a9,dc=x",
];

function outcome<T>(fn: () => T): T | "throws" {
  try {
    return fn();
  } catch {
    return "throws";
  }
}

describe("firstRdn", () => {
  it.each(DNS)("gives what parseDn gives for %j", (dn) => {
    expect(outcome(() => firstRdn(dn))).toEqual(outcome(() => parseDn(dn)[0]));
  });
});

describe("normKey", () => {
  // Its fast path leaves a "=" inside a value unescaped (as it always has); keys never hold one.
  const comparable = DNS.filter((dn) => !/=[^,]*=/.test(dn) && outcome(() => normalizeDn(dn)) !== "throws");
  it.each(comparable)("is the DN normal form of %j", (dn) => {
    expect(normKey(dn)).toBe(normalizeDn(dn));
  });
  it("is the DN normal form of 5,000 random DNs, plain and not", () => {
    const rand = seededRandom(17);
    const pick = (chars: string) => chars[Math.floor(rand() * chars.length)] as string;
    const text = (n: number) => Array.from({ length: n }, () => pick('abcXYZ019 .-@_\t,+\\#"é')).join("");
    let plain = 0;
    for (let i = 0; i < 5000; i++) {
      const rdns = Array.from(
        { length: 1 + Math.floor(rand() * 3) },
        () => `${pick("uUoOcC")}${pick("iInN")}=${text(1 + Math.floor(rand() * 6))}`,
      );
      const dn = rdns.join(rand() < 0.8 ? "," : " , ");
      const reference = outcome(() => normalizeDn(dn));
      if (reference === "throws" || /=[^,]*=/.test(dn)) continue;
      expect(normKey(dn), JSON.stringify(dn)).toBe(reference);
      if (normKey(dn) === dn.toLowerCase()) plain++;
    }
    expect(plain).toBeGreaterThan(500);
  });

  it("lower-cases keys that are not DNs", () => {
    expect(normKey("Not A DN")).toBe("not a dn");
  });
});

describe("anchorFor", () => {
  it("is 32 hex digits of the reference's SHA-256, scoped", () => {
    // Target entries already hold these values, so the computation must never change.
    expect(anchorFor("las:1", "school.nl")).toBe("56f802c6f2747d8a0b06e18f5d1658a9@school.nl");
    expect(anchorFor("las:2", "school.nl")).not.toBe(anchorFor("las:1", "school.nl"));
  });
});
