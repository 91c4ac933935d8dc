import { parseLdifText } from "./parse.js";
import type { TextForm } from "./record.js";

/**
 * The attributes of one entry kept as LDIF text, in the order written. Text of form
 * `canonical` or `plain` was validated when it was read and is read by a fast path; `raw` text
 * is parsed fully.
 *
 * @example parseEntryText("dn: uid=a,dc=nl\nuid: a\n\n", "canonical") // { uid: ["a"] }
 */
export function parseEntryText(text: string, form: TextForm): Record<string, string[]> {
  if (form === "raw") {
    const [record] = parseLdifText(text);
    return record?.kind === "content" ? record.attrs : {};
  }
  const attrs: Record<string, string[]> = {};
  let name = "";
  let values: string[] = [];
  let logical: string | null = null;
  let dnSeen = false;
  let pos = 0;
  for (;;) {
    let nl = text.indexOf("\n", pos);
    if (nl === -1) nl = text.length;
    const blank = nl <= pos;
    if (!blank && text.charCodeAt(pos) === 32) logical += text.slice(pos + 1, nl);
    else {
      if (logical !== null && dnSeen) {
        const colon = logical.indexOf(":");
        const n = logical.slice(0, colon);
        if (n !== name) {
          name = n;
          values = [];
          attrs[n] = values;
        }
        values.push(lineValue(logical, colon));
      }
      if (logical !== null) dnSeen = true;
      if (blank) break;
      logical = text.slice(pos, nl);
    }
    pos = nl + 1;
  }
  return attrs;
}

/** The value of a validated logical line whose colon is at `colon`. */
function lineValue(line: string, colon: number): string {
  if (line.charCodeAt(colon + 1) === 58)
    return Buffer.from(line.slice(colon + 2).trim(), "base64").toString("utf8");
  let start = colon + 1;
  while (line.charCodeAt(start) === 32) start += 1;
  return start >= line.length ? "" : line.slice(start);
}
