/**
 * Templates: text with `{{ expression }}` parts, e.g. `uid={{ attrs.uid | dn }},{{ vars.base }}`.
 * An expression is a path or a quoted literal, concatenated with `~`, passed through filters
 * with `|`. Templates are parsed once into a small syntax tree and compiled into closures; no
 * text is ever evaluated as code.
 *
 * Every expression yields a list of values. Text joined with a list yields one string per
 * value (all combinations when several parts have several values), and text joined with
 * "no value" is no value: `{{ givenName }} {{ surname }}` is absent when either name is.
 * The literal `''` is the one empty string a template can hold, so `{{ x | default '' }}` is
 * an optional part.
 */
import { OverstapError } from "../errors.js";
import {
  composeFilters,
  type FilterArg,
  type FilterContext,
  type FilterFn,
  filterNames,
  getFilter,
  perValueOf,
} from "./filters.js";
import { syntaxError, TokenStream } from "./template-lexer.js";
import {
  type CompiledPath,
  compilePath,
  NO_VALUES,
  type PathContext,
  type Scope,
  toValues,
  type Values,
} from "./template-scope.js";

/** The syntax tree of one expression. */
export type Expr =
  | { readonly kind: "literal"; readonly value: string }
  | { readonly kind: "path"; readonly path: string; readonly column: number }
  | { readonly kind: "concat"; readonly parts: readonly Expr[] }
  | {
      readonly kind: "filter";
      readonly input: Expr;
      readonly name: string;
      readonly args: readonly Expr[];
      readonly column: number;
      readonly source: string;
    };

/** What a template may refer to: fields, earlier attributes and lookup tables. */
export interface TemplateContext extends PathContext, FilterContext {}

/** A template ready to run. */
export interface CompiledTemplate {
  readonly source: string;
  /** Every path the template reads, to explain an empty result. */
  readonly paths: readonly CompiledPath[];
  evaluate(scope: Scope): Values;
}

/** The most values one template may produce for one object (combinations of lists). */
export const MAX_TEMPLATE_VALUES = 1000;

type Evaluator = (scope: Scope) => Values;

/**
 * Parses `{{ … }}` parts out of a template: literal text stays text. Throws MAPPING_INVALID
 * for an unclosed `{{`, an empty expression or bad expression syntax.
 */
export function parseTemplate(source: string): Expr {
  const parts: Expr[] = [];
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf("{{", i);
    if (open < 0) {
      parts.push({ kind: "literal", value: source.slice(i) });
      break;
    }
    if (open > i) parts.push({ kind: "literal", value: source.slice(i, open) });
    const close = findClose(source, open + 2);
    if (close < 0) throw syntaxError(source, open + 1, "'{{' has no matching '}}'");
    if (source.slice(open + 2, close).trim() === "") throw syntaxError(source, open + 1, "empty '{{ }}'");
    parts.push(parseExpression(source, open + 2, close));
    i = close + 2;
  }
  if (parts.length === 1) return parts[0] as Expr;
  return { kind: "concat", parts };
}

function findClose(source: string, from: number): number {
  let quoted = false;
  for (let i = from; i < source.length; i++) {
    if (source[i] === "'") quoted = !quoted;
    else if (!quoted && source.startsWith("}}", i)) return i;
  }
  return -1;
}

/** Parses one expression: `source`, or its part from `start` to `end` (the inside of `{{ }}`). */
export function parseExpression(source: string, start = 0, end = source.length): Expr {
  const tokens = new TokenStream(source, start, end);
  const expr = parseConcat(tokens);
  if (tokens.peek().kind !== "end") throw tokens.unexpected("'|', '~' or the end of the expression");
  return expr;
}

function parseConcat(tokens: TokenStream): Expr {
  const first = parseFiltered(tokens);
  if (tokens.peek().value !== "~" || tokens.peek().kind !== "op") return first;
  const parts = [first];
  while (tokens.accept("op", "~")) parts.push(parseFiltered(tokens));
  return { kind: "concat", parts };
}

function parseFiltered(tokens: TokenStream): Expr {
  let expr = parsePrimary(tokens);
  while (tokens.accept("op", "|")) {
    const start = tokens.peek();
    if (start.kind !== "name" || start.value.includes(".")) throw tokens.unexpected("a filter name");
    tokens.next();
    const args: Expr[] = [];
    for (;;) {
      const t = tokens.peek();
      if (
        t.kind === "string" ||
        t.kind === "number" ||
        t.kind === "name" ||
        (t.kind === "op" && t.value === "(")
      ) {
        args.push(parsePrimary(tokens));
      } else break;
    }
    const end = tokens.peek().column - 1;
    const source = tokens.source.slice(start.column - 1, end).trim();
    expr = { kind: "filter", input: expr, name: start.value, args, column: start.column, source };
  }
  return expr;
}

function parsePrimary(tokens: TokenStream): Expr {
  const t = tokens.peek();
  if (t.kind === "string" || t.kind === "number") {
    tokens.next();
    return { kind: "literal", value: t.value };
  }
  if (t.kind === "name") {
    tokens.next();
    return { kind: "path", path: t.value, column: t.column };
  }
  if (tokens.accept("op", "(")) {
    const inner = parseConcat(tokens);
    tokens.expect("op", ")", "')'");
    return inner;
  }
  throw tokens.unexpected("a field, a 'literal' or '('");
}

/**
 * Compiles a template for repeated evaluation. Throws MAPPING_INVALID for syntax errors,
 * unknown fields or filters, wrong argument counts and unusable filter arguments.
 *
 * @example
 * const t = compileTemplate("{{ surname | lower | ascii }}", ctx);
 * t.evaluate(scope); // ["celik"]
 */
export function compileTemplate(source: string, ctx: TemplateContext): CompiledTemplate {
  const paths: CompiledPath[] = [];
  const evaluate = compileExpr(parseTemplate(source), ctx, paths);
  return { source, paths, evaluate };
}

/** Compiles a parsed expression; paths it reads are appended to `paths`. */
export function compileExpr(expr: Expr, ctx: TemplateContext, paths: CompiledPath[]): Evaluator {
  switch (expr.kind) {
    case "literal": {
      const values: Values = Object.freeze([expr.value]);
      return () => values;
    }
    case "path": {
      const path = compilePath(expr.path, ctx);
      paths.push(path);
      return path.values;
    }
    case "concat": {
      const parts = expr.parts.map((p) => compileLoose(p, ctx, paths));
      return parts.length === 1 ? strict(parts[0] as Loose) : compileConcat(parts);
    }
    case "filter":
      return strict(compileLoose(expr, ctx, paths));
  }
}

/**
 * An evaluator that may return a lone string instead of a one-element list, so the common
 * case (one name, one value) allocates nothing on its way into a concatenation.
 */
type Loose = (scope: Scope) => string | Values;

function strict(loose: Loose): Evaluator {
  return (scope) => {
    const v = loose(scope);
    return typeof v === "string" ? [v] : v;
  };
}

function compileLoose(expr: Expr, ctx: TemplateContext, paths: CompiledPath[]): Loose {
  if (expr.kind === "literal") {
    const text = expr.value;
    return () => text;
  }
  if (expr.kind === "path") {
    const path = compilePath(expr.path, ctx);
    paths.push(path);
    return (scope) => {
      const raw = path.raw(scope);
      if (typeof raw !== "string") return toValues(raw);
      return raw === "" ? NO_VALUES : raw;
    };
  }
  if (expr.kind !== "filter") return compileExpr(expr, ctx, paths);
  const chain: FilterExpr[] = [];
  let base: Expr = expr;
  for (; base.kind === "filter"; base = base.input) chain.unshift(base);
  if (base.kind !== "path") {
    const input = compileExpr(base, ctx, paths);
    const filter = composeFilters(chain.map((node) => compileFilter(node, ctx, paths)));
    return (scope) => filter(input(scope), scope);
  }
  const path = compilePath(base.path, ctx);
  paths.push(path);
  const filter = composeFilters(chain.map((node) => compileFilter(node, ctx, paths)));
  const each = perValueOf(filter);
  if (!each) return (scope) => filter(path.values(scope), scope);
  return (scope) => {
    const raw = path.raw(scope);
    if (typeof raw !== "string") return filter(toValues(raw), scope);
    const out = raw === "" ? undefined : each(raw);
    return out === undefined || out === "" ? NO_VALUES : out;
  };
}

type FilterExpr = Extract<Expr, { kind: "filter" }>;

function compileFilter(expr: FilterExpr, ctx: TemplateContext, paths: CompiledPath[]): FilterFn {
  const definition = getFilter(expr.name);
  if (!definition) {
    throw new OverstapError("MAPPING_INVALID", `unknown filter ${JSON.stringify(expr.name)}`, {
      hint: `Known filters: ${filterNames().join(", ")}.`,
    });
  }
  const [min, max] =
    typeof definition.args === "number" ? [definition.args, definition.args] : definition.args;
  if (expr.args.length < min || expr.args.length > max) {
    const wanted = min === max ? `${min}` : `${min} to ${max}`;
    throw new OverstapError(
      "MAPPING_INVALID",
      `filter ${expr.name} takes ${wanted} argument${max === 1 ? "" : "s"} but got ${expr.args.length} in ${JSON.stringify(expr.source)}`,
      { hint: `Usage: ${definition.usage}` },
    );
  }
  const args: FilterArg[] = expr.args.map((arg) => ({
    source: arg.kind === "path" ? arg.path : arg.kind === "literal" ? `'${arg.value}'` : "(…)",
    literal: arg.kind === "literal" ? arg.value : undefined,
    evaluate: compileExpr(arg, ctx, paths),
  }));
  return definition.compile(args, ctx);
}

function compileConcat(parts: readonly Loose[]): Evaluator {
  return (scope) => {
    // Pieces are joined at the end, not appended one by one: `join` gives a flat string, where
    // `+` gives a tree of pieces that a million mapped persons would hold (and hash) as such.
    const pieces: string[] = [];
    let several: string[] | undefined;
    for (const part of parts) {
      const values = part(scope);
      let text: string;
      if (typeof values === "string") text = values;
      else if (values.length === 1) text = values[0] as string;
      else if (values.length === 0) return NO_VALUES;
      else {
        const base = several ?? [pieces.join("")];
        if (base.length * values.length > MAX_TEMPLATE_VALUES) {
          throw new OverstapError(
            "MAPPING_EVAL",
            `combining lists gives more than ${MAX_TEMPLATE_VALUES} values; use first or join`,
          );
        }
        several = [];
        for (const b of base) for (const v of values) several.push(b + v);
        continue;
      }
      if (several) for (let i = 0; i < several.length; i++) several[i] += text;
      else pieces.push(text);
    }
    if (several) return several;
    const single = pieces.join("");
    return single === "" ? NO_VALUES : [single];
  };
}
