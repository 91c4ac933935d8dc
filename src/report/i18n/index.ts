import { z } from "zod";
import { en, type MessageKey, type Messages } from "./en.js";
import { nl } from "./nl.js";

export type { MessageKey, Messages } from "./en.js";

export const LangSchema = z.enum(["nl", "en"]);
export type Lang = z.infer<typeof LangSchema>;

/** The texts of every language, by language code. */
export const MESSAGES: Record<Lang, Messages> = { nl, en };

const LOCALE: Record<Lang, string> = { nl: "nl-NL", en: "en-GB" };
const TIME_ZONE = "Europe/Amsterdam";

type Vars = Record<string, string | number>;

/** Texts and number, percentage and date formatting for one language. */
export interface Translator {
  lang: Lang;
  /** The text for `key` with `{placeholders}` filled in (numbers formatted per locale). */
  t(key: MessageKey, vars?: Vars): string;
  /**
   * Like `t`, for the form of `base` that `Intl.PluralRules` of the language chooses for `n`
   * (`base.one` or `base.other`), with `{n}` filled in.
   */
  plural(base: PluralBase, n: number, vars?: Vars): string;
  /** Whether a key exists (for open-ended families such as `role.*` and `error.*`). */
  has(key: string): key is MessageKey;
  number(n: number): string;
  percent(value: number): string;
  date(iso: string): string;
  /** A calendar day, without the time. */
  day(iso: string): string;
}

export type PluralBase = MessageKey extends infer K ? (K extends `${infer B}.one` ? B : never) : never;

/**
 * A translator for `lang`: `t("summary.plan", { clauses })`, `plural("accounts", 1234)` →
 * "1.234 accounts" in Dutch. Percentages take 0–100. Dates are shown in Dutch time.
 */
export function translator(lang: Lang): Translator {
  const messages = MESSAGES[lang];
  const pluralRules = new Intl.PluralRules(LOCALE[lang]);
  const numberFormat = new Intl.NumberFormat(LOCALE[lang]);
  const percentFormat = new Intl.NumberFormat(LOCALE[lang], { style: "percent", maximumFractionDigits: 1 });
  const dateFormat = new Intl.DateTimeFormat(LOCALE[lang], {
    dateStyle: "long",
    timeStyle: "short",
    timeZone: TIME_ZONE,
  });
  const dayFormat = new Intl.DateTimeFormat(LOCALE[lang], { dateStyle: "long", timeZone: TIME_ZONE });
  const fill = (template: string, vars: Vars = {}): string =>
    template.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const v = vars[name];
      if (v === undefined) return whole;
      return typeof v === "number" ? numberFormat.format(v) : v;
    });
  return {
    lang,
    t: (key, vars) => fill(messages[key], vars),
    plural: (base, n, vars) => {
      const form = `${base}.${pluralRules.select(n)}`;
      const key = (Object.hasOwn(messages, form) ? form : `${base}.other`) as MessageKey;
      return fill(messages[key], { ...vars, n });
    },
    has: (key): key is MessageKey => Object.hasOwn(messages, key),
    number: (n) => numberFormat.format(n),
    percent: (value) => percentFormat.format(honestPercent(value) / 100),
    date: (iso) => {
      const d = new Date(iso);
      return Number.isNaN(d.getTime()) ? iso : dateFormat.format(d);
    },
    day: (iso) => {
      const d = new Date(iso);
      return Number.isNaN(d.getTime()) ? iso : dayFormat.format(d);
    },
  };
}

/** Keeps a percentage from rounding to 0 or 100 when it is not exactly that. */
function honestPercent(value: number): number {
  if (value > 99.9 && value < 100) return 99.9;
  if (value > 0 && value < 0.1) return 0.1;
  return value;
}

export { en, nl };
