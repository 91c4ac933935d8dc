/**
 * Conditions (`when:` in a mapping), e.g. `roles contains 'leerling' and not ext.suspended`.
 * Parsed once into a syntax tree, compiled into closures. Forms, loosest-binding first:
 * `a or b`, `a and b`, `not a`, `( a )`, and the comparisons `x == y`, `x != y`,
 * `x contains y`, `x matches 'regex'`; a bare operand is true when it has a value.
 */
import { syntaxError, TokenStream } from "./template-lexer.js";
import { checkRegexInput, compileSafeRegex } from "./template-regex.js";
import {
  type CompiledPath,
  compilePath,
  NO_VALUES,
  type PathContext,
  type Scope,
  toValues,
  type Values,
} from "./template-scope.js";

/** A path or a quoted literal. */
export type Operand =
  | { readonly kind: "path"; readonly path: string }
  | { readonly kind: "literal"; readonly value: string };

export type Comparison = "==" | "!=" | "contains" | "matches";

/** The syntax tree of a condition. */
export type Condition =
  | { readonly kind: "present"; readonly operand: Operand }
  | { readonly kind: "not"; readonly condition: Condition }
  | { readonly kind: "and" | "or"; readonly conditions: readonly Condition[] }
  | { readonly kind: "compare"; readonly op: Comparison; readonly left: Operand; readonly right: Operand };

/** A condition ready to run. */
export interface CompiledCondition {
  readonly source: string;
  /** Every path the condition reads. */
  readonly paths: readonly CompiledPath[];
  test(scope: Scope): boolean;
}

const KEYWORDS = new Set(["and", "or", "not", "contains", "matches"]);
const COMPARISONS: ReadonlySet<string> = new Set<Comparison>(["==", "!=", "contains", "matches"]);

/** Parses a condition; throws MAPPING_INVALID naming the column of a syntax error. */
export function parseCondition(source: string): Condition {
  const tokens = new TokenStream(source);
  if (tokens.peek().kind === "end") throw syntaxError(source, 1, "empty condition");
  const condition = parseOr(tokens);
  if (tokens.peek().kind !== "end") throw tokens.unexpected("'and', 'or', ')' or the end of the condition");
  return condition;
}

function parseOr(tokens: TokenStream): Condition {
  const conditions = [parseAnd(tokens)];
  while (tokens.accept("name", "or")) conditions.push(parseAnd(tokens));
  return conditions.length === 1 ? (conditions[0] as Condition) : { kind: "or", conditions };
}

function parseAnd(tokens: TokenStream): Condition {
  const conditions = [parseUnary(tokens)];
  while (tokens.accept("name", "and")) conditions.push(parseUnary(tokens));
  return conditions.length === 1 ? (conditions[0] as Condition) : { kind: "and", conditions };
}

function parseUnary(tokens: TokenStream): Condition {
  if (tokens.accept("name", "not")) return { kind: "not", condition: parseUnary(tokens) };
  if (tokens.accept("op", "(")) {
    const inner = parseOr(tokens);
    tokens.expect("op", ")", "')'");
    return inner;
  }
  const left = parseOperand(tokens);
  const t = tokens.peek();
  if ((t.kind === "op" || t.kind === "name") && COMPARISONS.has(t.value)) {
    tokens.next();
    const right = parseOperand(tokens);
    const op = t.value as Comparison;
    if (op === "matches" && right.kind !== "literal") {
      throw syntaxError(tokens.source, t.column, "matches needs a 'regex' literal on its right");
    }
    return { kind: "compare", op, left, right };
  }
  return { kind: "present", operand: left };
}

function parseOperand(tokens: TokenStream): Operand {
  const t = tokens.peek();
  if (t.kind === "string" || t.kind === "number") {
    tokens.next();
    return { kind: "literal", value: t.value };
  }
  if (t.kind === "name" && !KEYWORDS.has(t.value)) {
    tokens.next();
    return { kind: "path", path: t.value };
  }
  throw tokens.unexpected("a field or a 'literal'");
}

/**
 * Compiles a condition. Throws MAPPING_INVALID for syntax errors, unknown fields and unsafe
 * regexes.
 *
 * @example
 * compileCondition("roles contains 'leerling'", ctx).test(scope); // true for a pupil
 */
export function compileCondition(source: string, ctx: PathContext): CompiledCondition {
  const paths: CompiledPath[] = [];
  const test = compileNode(parseCondition(source), ctx, paths);
  return { source, paths, test };
}

type Test = (scope: Scope) => boolean;

function compileNode(node: Condition, ctx: PathContext, paths: CompiledPath[]): Test {
  switch (node.kind) {
    case "present": {
      const values = compileOperand(node.operand, ctx, paths).values;
      return (scope) => values(scope).length > 0;
    }
    case "not": {
      const inner = compileNode(node.condition, ctx, paths);
      return (scope) => !inner(scope);
    }
    case "and": {
      const tests = node.conditions.map((c) => compileNode(c, ctx, paths));
      return (scope) => tests.every((t) => t(scope));
    }
    case "or": {
      const tests = node.conditions.map((c) => compileNode(c, ctx, paths));
      return (scope) => tests.some((t) => t(scope));
    }
    case "compare":
      return compileComparison(node, ctx, paths);
  }
}

function compileComparison(
  node: Extract<Condition, { kind: "compare" }>,
  ctx: PathContext,
  paths: CompiledPath[],
): Test {
  const left = compileOperand(node.left, ctx, paths);
  const right = compileOperand(node.right, ctx, paths);
  switch (node.op) {
    case "==":
      return (scope) => sameValues(left.values(scope), right.values(scope));
    case "!=":
      return (scope) => !sameValues(left.values(scope), right.values(scope));
    case "contains":
      return (scope) => {
        const needles = right.values(scope);
        if (needles.length === 0) return false;
        const raw = left.raw(scope);
        if (typeof raw === "string") return needles.some((n) => raw.includes(n));
        const values = toValues(raw);
        return needles.some((n) => values.includes(n));
      };
    case "matches": {
      const regex = compileSafeRegex(node.right.kind === "literal" ? node.right.value : "");
      return (scope) =>
        left.values(scope).some((v) => {
          checkRegexInput(v);
          return regex.test(v);
        });
    }
  }
}

interface OperandReader {
  raw(scope: Scope): unknown;
  values(scope: Scope): Values;
}

function compileOperand(operand: Operand, ctx: PathContext, paths: CompiledPath[]): OperandReader {
  if (operand.kind === "path") {
    const path = compilePath(operand.path, ctx);
    paths.push(path);
    return path;
  }
  const value = operand.value;
  const values: Values = value === "" ? NO_VALUES : Object.freeze([value]);
  return { raw: () => value, values: () => values };
}

function sameValues(a: Values, b: Values): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
