import { describe, expect, it } from "vitest";
import type { PluralBase } from "../../src/report/i18n/index.js";
import { en, type Lang, translator } from "../../src/report/i18n/index.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { buildPlanReport } from "../../src/report/model.js";
import { createPerson, header, review } from "./fixtures.js";

const BASES = Object.keys(en)
  .filter((k) => k.endsWith(".one"))
  .map((k) => k.slice(0, -4) as PluralBase);
const VARS = {
  attrs: "uid",
  date: "1 maart",
  students: 3,
  percent: "5%",
  limit: "5%",
  basis: 9,
  ready: 1,
  profile: "Entree",
  done: 1,
  total: 2,
};

describe("every countable message", () => {
  for (const lang of ["nl", "en"] as Lang[]) {
    const tr = translator(lang);
    for (const base of BASES) {
      it(`${lang} ${base} at 0, 1 and 2`, () => {
        const [zero, one, two] = [0, 1, 2].map((n) => tr.plural(base, n, VARS));
        expect(one).toBe(tr.t(`${base}.one` as never, { ...VARS, n: 1 }));
        expect(zero).toBe(tr.t(`${base}.other` as never, { ...VARS, n: 0 }));
        expect(two).toBe(tr.t(`${base}.other` as never, { ...VARS, n: 2 }));
        for (const text of [zero, one, two]) expect(text).not.toMatch(/\{\w+\}/);
        expect(one).not.toBe(String(two).replace("2", "1"));
      });
    }
  }
});

describe("a Dutch report", () => {
  it("shows no English review reason, in the tables or the CSV", () => {
    const items = [review("mapping", "error", { reason: "the filters left no value", field: "sn" })];
    const report = buildPlanReport(header(), [createPerson("a", "11ZZ", "student")], items, {
      includeNames: true,
    });
    const md = renderMarkdown(report, { lang: "nl" });
    expect(md).not.toContain("the filters left no value");
    expect(md).toContain(translator("nl").t("rule.mapping"));
  });
});
