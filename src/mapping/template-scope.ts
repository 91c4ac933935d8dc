/**
 * What an expression sees while a mapping runs (the source object, the variables and the
 * attributes mapped so far) and how a dotted path reads from it. Every value is a list of
 * non-empty strings: a missing field, an empty string and an empty list all mean "no value".
 */
import { OverstapError } from "../errors.js";

/**
 * Values of an expression; never mutated once returned. Fields never yield empty strings
 * (an empty field is no value); only the literal `''` does, e.g. for `default ''`.
 */
export type Values = readonly string[];

/** The shared empty list. */
export const NO_VALUES: Values = Object.freeze([]);

/** The evaluation scope of one object being mapped. */
export interface Scope {
  /** The Person or Group. */
  readonly src: unknown;
  readonly vars: Readonly<Record<string, string>>;
  /** Attributes mapped so far, by declaration slot (see {@link PathContext.attrs}). */
  readonly attrs: ReadonlyArray<Values | undefined>;
}

/** What a path may name, fixed when the mapping is compiled. */
export interface PathContext {
  /** Fields of the source object a path may start with (e.g. the keys of Person); `map` fields need a key (`ext.department`). */
  readonly fields: ReadonlyMap<string, "value" | "map">;
  /** Attributes declared before the one being compiled: lower-case name → slot. */
  readonly attrs: ReadonlyMap<string, number>;
  /** The mapping's own `vars`; they win over the variables the caller passes. */
  readonly constants?: Readonly<Record<string, string>>;
}

/** A path compiled into direct property reads. */
export interface CompiledPath {
  /** The path as written, e.g. `ext.department`. */
  readonly source: string;
  /** The value as stored (string, list, boolean…), for `contains`. */
  raw(scope: Scope): unknown;
  values(scope: Scope): Values;
}

/**
 * Converts a stored value to {@link Values}: a string becomes one value, a list keeps its
 * non-empty strings, `true` becomes `"true"`, a number its decimal form; anything else
 * (undefined, `false`, objects) is no value.
 */
export function toValues(raw: unknown): Values {
  if (typeof raw === "string") return raw === "" ? NO_VALUES : [raw];
  if (Array.isArray(raw)) {
    for (const v of raw) if (typeof v !== "string" || v === "") return raw.filter(isNonEmptyString);
    return raw as Values;
  }
  if (raw === true) return ["true"];
  if (typeof raw === "number" && Number.isFinite(raw)) return [String(raw)];
  return NO_VALUES;
}

function isNonEmptyString(v: unknown): v is string {
  return typeof v === "string" && v !== "";
}

function own(obj: unknown, key: string): unknown {
  return obj !== null && typeof obj === "object" && Object.hasOwn(obj, key)
    ? (obj as Record<string, unknown>)[key]
    : undefined;
}

/**
 * Compiles a dotted path: a field of the source object (`givenName`), a key of a map field
 * (`ext.department`), a variable (`vars.realm`) or an attribute mapped earlier (`attrs.uid`).
 * Throws MAPPING_INVALID for an unknown field or an attribute not (yet) declared.
 */
export function compilePath(path: string, ctx: PathContext): CompiledPath {
  const segments = path.split(".");
  const [root, key, ...rest] = segments as [string, string | undefined, ...string[]];
  if (rest.length > 0) throw invalid(`path ${JSON.stringify(path)} is too deep; use at most two parts`);
  const make = (raw: (scope: Scope) => unknown): CompiledPath => ({
    source: path,
    raw,
    values: (scope) => toValues(raw(scope)),
  });
  if (root === "vars") {
    if (key === undefined) throw invalid("`vars` needs a name, e.g. vars.realm");
    if (ctx.constants && Object.hasOwn(ctx.constants, key)) {
      const value = ctx.constants[key];
      const values = Object.freeze(toValues(value));
      return { source: path, raw: () => value, values: () => values };
    }
    return make((scope) => (Object.hasOwn(scope.vars, key) ? scope.vars[key] : undefined));
  }
  if (root === "attrs") {
    if (key === undefined) throw invalid("`attrs` needs an attribute name, e.g. attrs.uid");
    const slot = ctx.attrs.get(key.toLowerCase());
    if (slot === undefined) {
      throw invalid(
        `attrs.${key} is not an attribute declared before this one`,
        "An attribute can only use attributes declared above it in the same section.",
      );
    }
    return {
      source: path,
      raw: (scope) => scope.attrs[slot],
      values: (scope) => scope.attrs[slot] ?? NO_VALUES,
    };
  }
  const kind = ctx.fields.get(root);
  if (kind === undefined) {
    throw invalid(
      `unknown field ${JSON.stringify(root)}`,
      `Known fields: ${[...ctx.fields.keys()].join(", ")}, and vars.NAME, attrs.NAME.`,
    );
  }
  if (kind === "value") {
    if (key !== undefined) throw invalid(`field ${JSON.stringify(root)} has no parts; use ${root} alone`);
    return make((scope) => (scope.src as Record<string, unknown>)[root]);
  }
  if (key === undefined) throw invalid(`field ${JSON.stringify(root)} needs a key, e.g. ${root}.NAME`);
  return make((scope) => own((scope.src as Record<string, unknown>)[root], key));
}

function invalid(message: string, hint?: string): OverstapError {
  return new OverstapError("MAPPING_INVALID", message, hint === undefined ? {} : { hint });
}
