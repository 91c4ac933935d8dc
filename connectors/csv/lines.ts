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
    for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
      line += 1;
      if (skipping) skipping = false;
      else if (nl - start > MAX_LINE_CHARS) yield { text: "", line, tooLong: true };
      else {
        const raw = text.slice(start, nl);
        yield { text: raw.endsWith("\r") ? raw.slice(0, -1) : raw, line };
      }
      start = nl + 1;
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
