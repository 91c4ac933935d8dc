/**
 * Filters of the mapping language (`{{ surname | lower | ascii }}`) and the registry other
 * modules extend with {@link registerFilter}. A filter is compiled once per use in a mapping
 * (its arguments checked, regexes built, lookup tables resolved) into a function from values
 * to values that runs for every object mapped.
 */
import { OverstapError } from "../errors.js";
import { escapeDnValue } from "../model/dn.js";
import { checkRegexInput, compileSafeRegex } from "./template-regex.js";
import { NO_VALUES, type Scope, type Values } from "./template-scope.js";

/** One argument of a filter as written in the mapping. */
export interface FilterArg {
  /** The argument as written, for error messages. */
  readonly source: string;
  /** The value of a string or number literal; undefined for a path or a parenthesized expression. */
  readonly literal: string | undefined;
  /** The argument's values for the object being mapped (a literal's are constant). */
  evaluate(scope: Scope): Values;
}

/** What a filter can refer to when it is compiled. */
export interface FilterContext {
  /** The mapping's `lookups` tables: table name → key → values. */
  readonly lookups: ReadonlyMap<string, ReadonlyMap<string, Values>>;
}

/**
 * A compiled filter: takes the values flowing in and returns the values flowing out. It must
 * not mutate its input, must not return empty strings, and should not throw (an error thrown
 * here is reported for the attribute being mapped, never crashes a run).
 */
export type FilterFn = (values: Values, scope: Scope) => Values;

/**
 * A filter as registered. `args` is the exact number of arguments or an inclusive
 * `[min, max]`; the compiler checks the count before calling `compile`. `compile` runs once
 * per use in a mapping and throws MAPPING_INVALID (the compiler adds file, line and key)
 * when an argument is unusable, e.g. a regex or a lookup table that does not exist.
 *
 * @example
 * registerFilter("reverse", { args: 0, compile: () => eachValue((v) => [...v].reverse().join("")) });
 */
export interface FilterDefinition {
  readonly args: number | readonly [min: number, max: number];
  /** One line for error messages and docs, e.g. `replace 'regex' 'with'`. */
  readonly usage: string;
  compile(args: readonly FilterArg[], ctx: FilterContext): FilterFn;
}

const registry = new Map<string, FilterDefinition>();
const NAME = /^[a-z][A-Za-z0-9_]*$/;

/**
 * Adds a filter to the language. Names are lower camel case and unique: registering a name
 * twice (including a built-in one) throws INTERNAL, so no module silently changes another's
 * filter. Register before compiling the mappings that use it.
 */
export function registerFilter(name: string, definition: FilterDefinition): void {
  if (!NAME.test(name))
    throw new OverstapError("INTERNAL", `filter name ${JSON.stringify(name)} is not lower camel case`);
  if (registry.has(name))
    throw new OverstapError("INTERNAL", `filter ${JSON.stringify(name)} is already registered`);
  registry.set(name, definition);
}

/** The registered filter called `name`, if any. */
export function getFilter(name: string): FilterDefinition | undefined {
  return registry.get(name);
}

/** Names of all registered filters, sorted. */
export function filterNames(): string[] {
  return [...registry.keys()].sort();
}

type ValueFn = (value: string) => string | undefined;

const perValue = new WeakMap<FilterFn, ValueFn>();

/**
 * Builds a {@link FilterFn} that applies `fn` to every value; values for which `fn` returns
 * undefined or an empty string are left out. Consecutive filters built this way are fused
 * into one pass by {@link composeFilters}.
 */
export function eachValue(fn: ValueFn): FilterFn {
  const filter = listOf(fn);
  perValue.set(filter, fn);
  return filter;
}

function listOf(fn: ValueFn): FilterFn {
  return (values) => {
    if (values.length === 1) {
      const out = fn(values[0] as string);
      return out === undefined || out === "" ? NO_VALUES : [out];
    }
    const out: string[] = [];
    for (const v of values) {
      const r = fn(v);
      if (r !== undefined && r !== "") out.push(r);
    }
    return out;
  };
}

/** The per-value function behind a filter built with {@link eachValue}, if it was. */
export function perValueOf(filter: FilterFn): ValueFn | undefined {
  return perValue.get(filter);
}

/**
 * One function applying `filters` in order. Runs of per-value filters ({@link eachValue})
 * become a single pass, so `lower | ascii | trim` allocates one list, not three.
 */
export function composeFilters(filters: readonly FilterFn[]): FilterFn {
  const stages: FilterFn[] = [];
  let run: ValueFn | undefined;
  for (const filter of filters) {
    const fn = perValue.get(filter);
    if (fn === undefined) {
      if (run) stages.push(listOf(run));
      run = undefined;
      stages.push(filter);
    } else run = run ? then(run, fn) : fn;
  }
  if (run && stages.length === 0) return eachValue(run);
  if (run) stages.push(listOf(run));
  if (stages.length === 1) return stages[0] as FilterFn;
  return (values, scope) => {
    let out = values;
    for (const stage of stages) out = stage(out, scope);
    return out;
  };
}

function then(first: ValueFn, second: ValueFn): ValueFn {
  return (value) => {
    const mid = first(value);
    return mid === undefined || mid === "" ? undefined : second(mid);
  };
}

/** The literal value of argument `index`, or a MAPPING_INVALID error saying one is needed. */
export function literalArg(args: readonly FilterArg[], index: number, filter: string, what: string): string {
  const arg = args[index];
  if (arg?.literal === undefined) {
    throw new OverstapError(
      "MAPPING_INVALID",
      `filter ${filter} needs ${what} written as a literal, not ${arg ? JSON.stringify(arg.source) : "nothing"}`,
      { hint: `Usage: ${registry.get(filter)?.usage ?? filter}` },
    );
  }
  return arg.literal;
}

const ASCII_ONLY = /^[\x20-\x7e]*$/;
const MARKS = /\p{M}/gu;
const NON_ASCII = /[^\x20-\x7e]/g;
const FOLD: Record<string, string> = {
  ß: "ss",
  ẞ: "SS",
  æ: "ae",
  Æ: "AE",
  œ: "oe",
  Œ: "OE",
  ø: "o",
  Ø: "O",
  ł: "l",
  Ł: "L",
  đ: "d",
  Đ: "D",
  ð: "d",
  Ð: "D",
  þ: "th",
  Þ: "TH",
  ħ: "h",
  Ħ: "H",
  ı: "i",
  ŧ: "t",
  Ŧ: "T",
  ŋ: "n",
  Ŋ: "N",
  "\u2018": "'",
  "\u2019": "'",
  "\u201a": "'",
  "\u201c": '"',
  "\u201d": '"',
  "\u2010": "-",
  "\u2011": "-",
  "\u2013": "-",
  "\u2014": "-",
};
const FOLDABLE = new RegExp(`[${Object.keys(FOLD).join("")}]`, "g");

/**
 * Folds a string to printable ASCII: diacritics removed (ë → e, ç → c), ligatures and
 * special letters spelled out (æ → ae, ß → ss, ø → o, ł → l), typographic quotes and dashes
 * made plain; characters with no ASCII form (e.g. Cyrillic, CJK) and control characters are
 * dropped.
 */
export function foldAscii(value: string): string {
  if (ASCII_ONLY.test(value)) return value;
  return value
    .normalize("NFKD")
    .replace(MARKS, "")
    .replace(FOLDABLE, (ch) => FOLD[ch] ?? "")
    .replace(NON_ASCII, "");
}

const LETTER = /\p{L}/u;
/** Values that {@link escapeDnValue} would change. */
const DN_SPECIAL = /[,+"\\<>;=\0]|^[ #]| $/;

function initial(value: string): string | undefined {
  const c = value.charCodeAt(0);
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return value[0];
  for (const ch of value) if (LETTER.test(ch)) return ch;
  return undefined;
}

function truncateTo(max: number): (value: string) => string {
  return (value) => {
    if (value.length <= max) return value;
    let out = "";
    let n = 0;
    for (const ch of value) {
      if (n++ === max) break;
      out += ch;
    }
    return out;
  };
}

registerFilter("lower", { args: 0, usage: "lower", compile: () => eachValue((v) => v.toLowerCase()) });
registerFilter("upper", { args: 0, usage: "upper", compile: () => eachValue((v) => v.toUpperCase()) });
registerFilter("trim", { args: 0, usage: "trim", compile: () => eachValue((v) => v.trim()) });
registerFilter("ascii", { args: 0, usage: "ascii", compile: () => eachValue(foldAscii) });
registerFilter("initial", { args: 0, usage: "initial", compile: () => eachValue(initial) });
registerFilter("dn", {
  args: 0,
  usage: "dn",
  compile: () => eachValue((v) => (DN_SPECIAL.test(v) ? escapeDnValue(v) : v)),
});
registerFilter("localpart", {
  args: 0,
  usage: "localpart",
  compile: () =>
    eachValue((v) => {
      const at = v.lastIndexOf("@");
      return at > 0 ? v.slice(0, at) : undefined;
    }),
});
registerFilter("domain", {
  args: 0,
  usage: "domain",
  compile: () =>
    eachValue((v) => {
      const at = v.lastIndexOf("@");
      return at > 0 ? v.slice(at + 1) : undefined;
    }),
});
registerFilter("replace", {
  args: 2,
  usage: "replace 'regex' 'with'",
  compile: (args) => {
    const regex = compileSafeRegex(literalArg(args, 0, "replace", "a regex"), "g");
    const replacement = literalArg(args, 1, "replace", "a replacement");
    return eachValue((v) => {
      checkRegexInput(v);
      return v.replace(regex, replacement);
    });
  },
});
registerFilter("default", {
  args: 1,
  usage: "default VALUE",
  compile: ([fallback]) => {
    const evaluate = (fallback as FilterArg).evaluate;
    return (values, scope) => (values.length > 0 ? values : evaluate(scope));
  },
});
registerFilter("lookup", {
  args: 1,
  usage: "lookup 'table'",
  compile: (args, ctx) => {
    const name = literalArg(args, 0, "lookup", "a table name");
    const table = ctx.lookups.get(name);
    if (!table) {
      const known = [...ctx.lookups.keys()];
      throw new OverstapError("MAPPING_INVALID", `lookup table ${JSON.stringify(name)} is not defined`, {
        hint: known.length
          ? `Tables under lookups: ${known.join(", ")}.`
          : "Define it under the top-level `lookups:`.",
      });
    }
    return (values) => {
      if (values.length === 1) return table.get(values[0] as string) ?? NO_VALUES;
      const out: string[] = [];
      for (const v of values) {
        const found = table.get(v);
        if (found) out.push(...found);
      }
      return out;
    };
  },
});
registerFilter("first", {
  args: 0,
  usage: "first",
  compile: () => (values) => (values.length > 1 ? [values[0] as string] : values),
});
registerFilter("join", {
  args: 1,
  usage: "join 'separator'",
  compile: (args) => {
    const separator = literalArg(args, 0, "join", "a separator");
    return (values) => (values.length > 1 ? [values.join(separator)] : values);
  },
});
registerFilter("split", {
  args: 1,
  usage: "split 'separator'",
  compile: (args) => {
    const separator = literalArg(args, 0, "split", "a separator");
    if (separator === "")
      throw new OverstapError("MAPPING_INVALID", "filter split needs a non-empty separator");
    return (values) => {
      const out: string[] = [];
      for (const v of values) for (const part of v.split(separator)) if (part !== "") out.push(part);
      return out;
    };
  },
});
registerFilter("truncate", {
  args: 1,
  usage: "truncate N",
  compile: (args) => {
    const text = literalArg(args, 0, "truncate", "a length");
    const max = Number(text);
    if (!Number.isSafeInteger(max) || max < 1) {
      throw new OverstapError(
        "MAPPING_INVALID",
        `filter truncate needs a positive whole number, not ${JSON.stringify(text)}`,
      );
    }
    return eachValue(truncateTo(max));
  },
});
