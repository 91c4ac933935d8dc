import { describe, expect, it } from "vitest";
import { closeNames, didYouMean } from "../../src/util/did-you-mean.js";

describe("did you mean", () => {
  it("finds the same name in other case first, then names a few edits away, closest first", () => {
    expect(closeNames("groep 8b", ["Groep 8B", "Groep 8a", "Groep 7c", "Bestuur"])).toEqual([
      "Groep 8B",
      "Groep 8a",
    ]);
    expect(closeNames("pilto", ["pilot", "bestuur", "pi"])).toEqual(["pilot"]);
    expect(closeNames("leerlingen", ["personeel", "bestuur"])).toEqual([]);
  });

  it("allows about one edit per five characters, and at most three names", () => {
    expect(closeNames("ab", ["ax", "xy"])).toEqual(["ax"]);
    expect(closeNames("3a", ["3b", "3c", "3d", "3e"])).toEqual(["3b", "3c", "3d"]);
    expect(closeNames("bestuur", ["bestur", "bestuurs", "bstr"])).toEqual(["bestur", "bestuurs"]);
  });

  it("writes one sentence, or nothing when nothing is close", () => {
    expect(didYouMean("pilto", ["pilot", "pilo", "plot"])).toBe(' Did you mean "pilo" or "pilot"?');
    expect(didYouMean("x", [])).toBe("");
  });
});
