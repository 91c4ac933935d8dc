/**
 * Tokens of the mapping expression language, shared by templates (`{{ … }}`) and conditions
 * (`when:`). String literals use single quotes; a quote inside is doubled (`'it''s'`) and
 * backslashes are kept as they are, so regular expressions need no extra escaping.
 */
import { OverstapError } from "../errors.js";

export type TokenKind = "name" | "string" | "number" | "op" | "end";

export interface Token {
  readonly kind: TokenKind;
  /** The name (`ext.department`), the literal's value, the number's digits or the operator. */
  readonly value: string;
  /** 1-based column in the expression, for error messages. */
  readonly column: number;
}

const OPERATORS = ["==", "!=", "|", "~", "(", ")"];
const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_-]/;
const DIGIT = /[0-9]/;

/**
 * Splits `source` (or its part from `start` to `end`) into tokens; columns count from the
 * start of `source`. Throws MAPPING_INVALID naming the column of a bad character.
 */
export function tokenize(source: string, start = 0, end = source.length): Token[] {
  const tokens: Token[] = [];
  let i = start;
  while (i < end) {
    const ch = source[i] as string;
    if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r") {
      i++;
      continue;
    }
    const column = i + 1;
    if (ch === "'") {
      let value = "";
      let j = i + 1;
      for (;;) {
        if (j >= end) throw syntaxError(source, column, "string literal has no closing quote");
        const c = source[j] as string;
        if (c === "'") {
          if (source[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += c;
        j++;
      }
      tokens.push({ kind: "string", value, column });
      i = j + 1;
      continue;
    }
    if (DIGIT.test(ch)) {
      let j = i;
      while (j < end && DIGIT.test(source[j] as string)) j++;
      tokens.push({ kind: "number", value: source.slice(i, j), column });
      i = j;
      continue;
    }
    if (NAME_START.test(ch)) {
      let j = i + 1;
      while (j < end) {
        const c = source[j] as string;
        if (NAME_PART.test(c)) j++;
        else if (c === "." && j + 1 < end && NAME_START.test(source[j + 1] ?? "")) j += 2;
        else break;
      }
      tokens.push({ kind: "name", value: source.slice(i, j), column });
      i = j;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i) && i + o.length <= end);
    if (!op) throw syntaxError(source, column, `unexpected character ${JSON.stringify(ch)}`);
    tokens.push({ kind: "op", value: op, column });
    i += op.length;
  }
  tokens.push({ kind: "end", value: "", column: end + 1 });
  return tokens;
}

/** A MAPPING_INVALID error pointing at a column of an expression. */
export function syntaxError(source: string, column: number, message: string): OverstapError {
  return new OverstapError("MAPPING_INVALID", `${message} at column ${column} of ${JSON.stringify(source)}`, {
    hint: "See docs/mapping.md for the expression syntax.",
  });
}

/** A cursor over tokens with the few helpers both parsers need. */
export class TokenStream {
  readonly #tokens: Token[];
  readonly source: string;
  #pos = 0;

  /** Tokens of `source`, or of its part from `start` to `end` (e.g. inside `{{ }}`). */
  constructor(source: string, start = 0, end = source.length) {
    this.source = source;
    this.#tokens = tokenize(source, start, end);
  }

  peek(): Token {
    return this.#tokens[this.#pos] as Token;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== "end") this.#pos++;
    return token;
  }

  /** True (and consumes it) when the next token is the operator or keyword `value`. */
  accept(kind: TokenKind, value: string): boolean {
    const token = this.peek();
    if (token.kind !== kind || token.value !== value) return false;
    this.#pos++;
    return true;
  }

  expect(kind: TokenKind, value: string, what: string): void {
    if (!this.accept(kind, value)) throw this.unexpected(what);
  }

  unexpected(expected: string): OverstapError {
    const token = this.peek();
    const found = token.kind === "end" ? "the end" : JSON.stringify(token.value);
    return syntaxError(this.source, token.column, `expected ${expected} but found ${found}`);
  }
}
