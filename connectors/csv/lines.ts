import { TextDecoder } from "node:util";
import { OverstapError } from "../../src/errors.js";

/** One physical line of a text file (without its line end), 1-based. */
export interface TextLine {
  text: string;
  line: number;
  /** The line was longer than {@link MAX_LINE_CHARS}; `text` is empty. */
  tooLong?: boolean;
}

/** Lines longer than this are reported, not kept in memory. */
export const MAX_LINE_CHARS = 1 << 20;

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * Decodes a byte stream (UTF-8 or Windows-1252) into lines, in constant memory. A UTF-8 byte
 * order mark is dropped and wins over a configured Windows-1252; a UTF-16 file is refused.
 * Invalid UTF-8 becomes U+FFFD, which the caller reports per field.
 */
export async function* decodeLines(
  bytes: AsyncIterable<Uint8Array>,
  encoding: "utf-8" | "windows-1252",
  file: string,
): AsyncGenerator<TextLine> {
  let decoder: TextDecoder | null = null;
  let carry = "";
  let skipping = false;
  let line = 0;
  for await (const chunk of bytes) {
    if (!decoder) {
      if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff)) {
        throw new OverstapError("SOURCE_INVALID", `${file}: the file is UTF-16 ("Unicode text")`, {
          hint: "Export it as CSV UTF-8 (or CSV with Windows-1252 and set encoding: windows-1252).",
        });
      }
      const bom = UTF8_BOM.every((b, i) => chunk[i] === b);
      decoder = new TextDecoder(bom ? "utf-8" : encoding);
    }
    const text = carry + decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let end = nextLineEnd(text, 0); end !== -1; end = nextLineEnd(text, start)) {
      line += 1;
      if (skipping) skipping = false;
      else if (end - start > MAX_LINE_CHARS) yield { text: "", line, tooLong: true };
      else yield { text: text.slice(start, end), line };
      start = end + (text[end] === "\r" && text[end + 1] === "\n" ? 2 : 1);
    }
    carry = text.slice(start);
    if (carry.length > MAX_LINE_CHARS) {
      if (!skipping) yield { text: "", line: line + 1, tooLong: true };
      skipping = true;
      carry = "";
    }
  }
  const rest = carry + (decoder?.decode() ?? "");
  if (rest !== "" && !skipping)
    yield { text: rest.endsWith("\r") ? rest.slice(0, -1) : rest, line: line + 1 };
}

/**
 * Where the line starting at `from` ends: at LF, CRLF or a lone CR (old Mac "CSV (Macintosh)"
 * exports), or -1 when `text` holds no complete line end yet (a CR at its very end may be the
 * first half of a CRLF, so it waits for the next chunk).
 */
function nextLineEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) return i;
    if (c === 13) return i + 1 < text.length ? i : -1;
  }
  return -1;
}
