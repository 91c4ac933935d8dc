import type { ReviewItem } from "../model/review.js";

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const MAX_LENGTH = 256;
/** Any character one of the checks below looks for: most values have none, and pass with one test. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are among what this looks for
const SUSPECT = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffd]/;

/**
 * Checks one source string value for what no directory should receive: control characters,
 * bidirectional overrides, U+FFFD (invalid UTF-8 decoded leniently), lone surrogates, and
 * values longer than 256 characters. Returns the review rule and reason, or null.
 */
export function checkText(value: string): { rule: string; reason: string } | null {
  if (value.length <= MAX_LENGTH && !SUSPECT.test(value)) return null;
  if (value.includes("\ufffd"))
    return { rule: "invalid-utf8", reason: "contains U+FFFD: the source text was not valid UTF-8" };
  if (LONE_SURROGATE.test(value))
    return { rule: "invalid-unicode", reason: "contains a lone UTF-16 surrogate" };
  const control = CONTROL.exec(value);
  if (control) {
    const code = control[0].codePointAt(0)?.toString(16).padStart(4, "0") ?? "";
    return { rule: "control-character", reason: `contains control character U+${code.toUpperCase()}` };
  }
  if (BIDI.test(value))
    return { rule: "bidi-control", reason: "contains a bidirectional override character" };
  if (value.length > MAX_LENGTH)
    return { rule: "too-long", reason: `is ${value.length} characters long; at most ${MAX_LENGTH}` };
  return null;
}

/**
 * Validates every string field of a source record (top-level fields, lists and `ext`),
 * returning one review item per bad field.
 */
export function validateSourceRecord(record: string, fields: Record<string, unknown>): ReviewItem[] {
  const items: ReviewItem[] = [];
  const visit = (field: string, value: unknown) => {
    if (typeof value === "string") {
      const problem = checkText(value);
      if (problem)
        items.push({
          record,
          field,
          rule: problem.rule,
          reason: `${field} ${problem.reason}`,
          severity: "error",
        });
    } else if (Array.isArray(value)) {
      for (const v of value) visit(field, v);
    } else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) visit(`${field}.${k}`, v);
    }
  };
  for (const [k, v] of Object.entries(fields)) {
    if (k === "source") continue;
    if (k === "ext" && v && typeof v === "object") {
      for (const [ek, ev] of Object.entries(v)) visit(`ext.${ek}`, ev);
    } else visit(k, v);
  }
  return items;
}

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._@'-]*$/;

/**
 * Values of identifier attributes (uid, ePPN, the key's RDN) must be plain: letters, digits,
 * `.`, `_`, `@`, `'`, `-`, not starting with punctuation. Anything else (DN/LDIF specials,
 * spaces, `#`) goes to review instead of into a directory.
 */
export function checkIdentifier(value: string): string | null {
  if (value.length === 0) return "is empty";
  if (value.length > 256) return `is ${value.length} characters long; at most 256`;
  if (!IDENTIFIER.test(value)) {
    const bad = [...value].find((ch, i) => !/[A-Za-z0-9]/.test(ch) && (i === 0 || !/[._@'-]/.test(ch)));
    return `contains ${bad === " " ? "a space" : JSON.stringify(bad)}; identifiers may contain only letters, digits and . _ @ ' - and must start with a letter or digit`;
  }
  return null;
}
