import { describe, expect, it } from "vitest";
import { en, nl, translator } from "../../src/report/i18n/index.js";

/** Keys whose text is rightly the same in both languages. */
const SAME_IN_BOTH = new Set([
  "accounts.one",
  "accounts.other",
  "table.none",
  "threshold.max",
  "threshold.status",
  "schools.name",
  "review.school",
]);

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("report texts", () => {
  it("have exactly the same keys in Dutch and English", () => {
    expect(Object.keys(nl).sort()).toEqual(Object.keys(en).sort());
  });

  it("are translated: no Dutch text equals the English one, except known shared words", () => {
    const untranslated = Object.keys(en).filter(
      (k) => !SAME_IN_BOTH.has(k) && nl[k as keyof typeof en] === en[k as keyof typeof en],
    );
    expect(untranslated).toEqual([]);
  });

  it("have no empty texts", () => {
    for (const [k, v] of [...Object.entries(en), ...Object.entries(nl)]) expect(v.trim(), k).not.toBe("");
  });

  it("use the same placeholders in both languages", () => {
    for (const k of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(nl[k]), k).toEqual(placeholders(en[k]));
    }
  });

  it("have a singular and a plural for every plural key", () => {
    for (const k of Object.keys(en)) {
      if (k.endsWith(".one")) expect(Object.keys(en), k).toContain(k.replace(/\.one$/, ".other"));
    }
  });
});

describe("translator", () => {
  it("formats numbers per locale", () => {
    expect(translator("nl").plural("accounts", 1234)).toBe("1.234 accounts");
    expect(translator("en").plural("accounts", 1234)).toBe("1,234 accounts");
    expect(translator("nl").plural("groups", 1)).toBe("1 groep");
  });

  it("never rounds an incomplete percentage up to 100 or a non-zero one down to 0", () => {
    expect(translator("nl").percent(99.99)).toBe("99,9%");
    expect(translator("en").percent(0.01)).toBe("0.1%");
    expect(translator("en").percent(100)).toBe("100%");
  });

  it("shows dates in Dutch time", () => {
    expect(translator("nl").date("2026-03-01T13:05:00.000Z")).toBe("1 maart 2026 om 14:05");
  });

  it("reads a Dutch plan summary naturally", () => {
    const tr = translator("nl");
    expect(
      tr.t("summary.plan", { clauses: tr.t("clause.create", { accounts: tr.plural("accounts", 1234) }) }),
    ).toBe("Deze fase maakt 1.234 accounts aan.");
  });
});
