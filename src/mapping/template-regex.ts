/**
 * Regular expressions written by mapping authors (`replace`, `matches`). A backtracking engine
 * can take exponential time on patterns like `(a+)+$`, so patterns that repeat a group which
 * itself repeats or alternates are refused when the mapping is compiled, backreferences are
 * refused, and inputs longer than {@link MAX_REGEX_INPUT} characters are never matched.
 */
import { OverstapError } from "../errors.js";

/** The longest value a mapping regex is run on; longer values are an evaluation error. */
export const MAX_REGEX_INPUT = 1000;

interface Group {
  repeats: boolean;
  alternates: boolean;
}

const QUANTIFIER_RANGE = /^\{(\d+)(,(\d*))?\}/;

/**
 * Compiles `pattern` with the `u` flag (plus `flags`), refusing patterns that could backtrack
 * catastrophically. Throws MAPPING_INVALID with the reason.
 */
export function compileSafeRegex(pattern: string, flags = ""): RegExp {
  const reason = unsafeReason(pattern);
  if (reason) {
    throw new OverstapError("MAPPING_INVALID", `regular expression ${JSON.stringify(pattern)} ${reason}`, {
      hint: "Rewrite it without repeating a group that repeats or alternates, e.g. [a-z]+ instead of (a|b+)+.",
    });
  }
  try {
    return new RegExp(pattern, `u${flags}`);
  } catch (err) {
    throw new OverstapError(
      "MAPPING_INVALID",
      `regular expression ${JSON.stringify(pattern)} is invalid: ${(err as Error).message}`,
      { cause: err, hint: "Mapping regexes use JavaScript syntax with the u flag." },
    );
  }
}

/** Throws MAPPING_EVAL when `value` is too long to be matched safely. */
export function checkRegexInput(value: string): void {
  if (value.length > MAX_REGEX_INPUT) {
    throw new OverstapError(
      "MAPPING_EVAL",
      `a value of ${value.length} characters is longer than the ${MAX_REGEX_INPUT} a regular expression is run on`,
    );
  }
}

function unsafeReason(pattern: string): string | undefined {
  const stack: Group[] = [{ repeats: false, alternates: false }];
  let lastGroup: Group | undefined;
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i] as string;
    const top = stack[stack.length - 1] as Group;
    if (ch === "\\") {
      const next = pattern[i + 1] ?? "";
      if (/[1-9]/.test(next) || next === "k") return "uses a backreference";
      i += 2;
      if ("pPu".includes(next) && pattern[i] === "{") i = skipPast(pattern, i, "}");
      lastGroup = undefined;
      continue;
    }
    if (ch === "[") {
      i = skipClass(pattern, i + 1);
      lastGroup = undefined;
      continue;
    }
    if (ch === "(") {
      stack.push({ repeats: false, alternates: false });
      i++;
      if (pattern[i] === "?")
        i =
          pattern[i + 1] === "<" && /[A-Za-z]/.test(pattern[i + 2] ?? "") ? skipPast(pattern, i, ">") : i + 2;
      if (pattern[i - 1] === "<" && (pattern[i] === "=" || pattern[i] === "!")) i++;
      lastGroup = undefined;
      continue;
    }
    if (ch === ")") {
      const closed = stack.length > 1 ? (stack.pop() as Group) : top;
      const parent = stack[stack.length - 1] as Group;
      parent.repeats ||= closed.repeats;
      lastGroup = closed;
      i++;
      continue;
    }
    if (ch === "|") {
      top.alternates = true;
      lastGroup = undefined;
      i++;
      continue;
    }
    const quantifier = quantifierAt(pattern, i);
    if (quantifier) {
      if (quantifier.repeats && lastGroup && (lastGroup.repeats || lastGroup.alternates)) {
        return lastGroup.repeats
          ? "repeats a group that itself repeats (nested quantifier)"
          : "repeats a group with alternatives";
      }
      top.repeats = true;
      i += quantifier.length;
      if (pattern[i] === "?") i++;
      lastGroup = undefined;
      continue;
    }
    lastGroup = undefined;
    i++;
  }
  return undefined;
}

function quantifierAt(pattern: string, i: number): { repeats: boolean; length: number } | undefined {
  const ch = pattern[i];
  if (ch === "*" || ch === "+") return { repeats: true, length: 1 };
  if (ch === "?") return { repeats: false, length: 1 };
  if (ch !== "{") return undefined;
  const m = QUANTIFIER_RANGE.exec(pattern.slice(i));
  if (!m) return undefined;
  const max = m[2] === undefined ? Number(m[1]) : m[3] === "" ? Number.POSITIVE_INFINITY : Number(m[3]);
  return { repeats: max > 1, length: m[0].length };
}

function skipClass(pattern: string, i: number): number {
  while (i < pattern.length && pattern[i] !== "]") i += pattern[i] === "\\" ? 2 : 1;
  return i + 1;
}

function skipPast(pattern: string, i: number, end: string): number {
  const at = pattern.indexOf(end, i);
  return at < 0 ? pattern.length : at + 1;
}
