/**
 * The digest behind the planner's unchanged check: equal digests must mean that
 * `diffAttributes` finds nothing to change, and a change anywhere in a managed attribute must
 * change the digest. Random records are seeded, so a failure can be reproduced.
 */
import { describe, expect, it } from "vitest";
import { diffAttributes } from "../../../src/plan/diff.js";
import { digestNames, managedDigest } from "../../../src/plan/perf/managed-digest.js";
import { seededRandom } from "../../support/prng.js";

const MANAGED = digestNames(["objectClass", "cn", "mail", "uid", "eduPersonAffiliation", "Mail"]);

describe("managedDigest", () => {
  it("takes each managed name once, spelled as first given", () => {
    expect(MANAGED).toEqual(["objectClass", "cn", "mail", "uid", "eduPersonAffiliation"]);
  });

  it("ignores the case of names, the order of values and unmanaged attributes", () => {
    const a = { objectClass: ["inetOrgPerson", "eduPerson"], cn: ["Zoë"], mail: ["z@x.nl"], sn: ["Z"] };
    const b = { MAIL: ["z@x.nl"], cn: ["Zoë"], objectclass: ["eduPerson", "inetOrgPerson"], title: ["t"] };
    expect(managedDigest(a, MANAGED)).toEqual(managedDigest(b, MANAGED));
  });

  it.each([
    ["a changed value", { cn: ["Zoë"] }, { cn: ["Zoe"] }],
    ["a value moved to another attribute", { cn: ["a"], mail: [] }, { cn: [], mail: ["a"] }],
    ["a value split in two", { cn: ["ab"] }, { cn: ["a", "b"] }],
    ["a value given twice", { cn: ["a"] }, { cn: ["a", "a"] }],
    ["an empty value added", { cn: ["a"] }, { cn: ["a", ""] }],
    ["a character past the 16th bit", { cn: ["\u{1F600}"] }, { cn: ["\u{1F601}"] }],
    ["an odd length", { cn: ["abc"] }, { cn: ["ab"] }],
  ])("changes with %s", (_name, a, b) => {
    expect(managedDigest(a, MANAGED)).not.toEqual(managedDigest(b, MANAGED));
  });

  it("is equal only where diffAttributes finds no change, and for every reordered copy, over 20,000 random pairs", () => {
    const rand = seededRandom(11);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)] as T;
    const VALUES = ["a", "b", "A", "Zoë", "", "a b", "x".repeat(40)];
    const NAMES = ["objectClass", "cn", "CN", "mail", "uid", "sn", "eduPersonAffiliation"];
    const record = () => {
      const attrs: Record<string, string[]> = {};
      for (let i = Math.floor(rand() * 5); i > 0; i--) {
        const values = Array.from({ length: 1 + Math.floor(rand() * 2) }, () => pick(VALUES));
        attrs[pick(NAMES)] = values;
      }
      return attrs;
    };
    const counts = { copies: 0, equalOthers: 0, differentOthers: 0 };
    for (let i = 0; i < 20_000; i++) {
      const a = record();
      const copy = rand() < 0.5;
      const b = copy ? structuredClone(a) : record();
      if (rand() < 0.3) for (const v of Object.values(b)) v.reverse();
      const same = managedDigest(a, MANAGED).join() === managedDigest(b, MANAGED).join();
      // objectClass is only ever added to, so some pairs differ in digest without a change.
      if (same) expect(diffAttributes(a, b, MANAGED), JSON.stringify([a, b])).toEqual([]);
      if (copy) {
        expect(same).toBe(true);
        counts.copies++;
      } else if (same) counts.equalOthers++;
      else counts.differentOthers++;
    }
    expect(counts.copies).toBeGreaterThan(9_000);
    expect(counts.equalOthers).toBeGreaterThan(100);
    expect(counts.differentOthers).toBeGreaterThan(5_000);
  });
});
