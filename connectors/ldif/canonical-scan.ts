import { isAscii } from "node:buffer";
import type { ScannedEntry } from "./parse.js";

const VERSION = "version: 1\n\n";

/** The value of the logical line `line` (folding undone) whose name ends at `colon`. */
function lineValue(line: string, colon: number): string {
  if (line.charCodeAt(colon + 1) === 58) return Buffer.from(line.slice(colon + 3), "base64").toString("utf8");
  return colon + 1 === line.length ? "" : line.slice(colon + 2);
}

/** The logical line that starts at `pos` of `text`, and where the next one starts. */
function logicalLine(text: string, pos: number): [string, number] {
  let nl = text.indexOf("\n", pos);
  let line = text.slice(pos, nl);
  while (text.charCodeAt(nl + 1) === 32) {
    const next = text.indexOf("\n", nl + 1);
    line += text.slice(nl + 2, next);
    nl = next;
  }
  return [line, nl + 1];
}

/**
 * The entry of one canonical record (from `dn:` through its blank line), or null when it
 * plainly is not one (no DN first, a CR, a comment).
 */
function entryOf(record: string, offset: number): ScannedEntry | null {
  if (!record.startsWith("dn:") || record.includes("\r") || record.includes("\n#")) return null;
  const [dnLine, after] = logicalLine(record, 0);
  const dn = lineValue(dnLine, 2);
  const objectClass: string[] = [];
  let pos = after;
  while (pos < record.length - 1) {
    const [line, next] = logicalLine(record, pos);
    const colon = line.indexOf(":");
    if (colon !== 11 || line.slice(0, 11).toLowerCase() !== "objectclass") break;
    objectClass.push(lineValue(line, colon));
    pos = next;
  }
  return {
    kind: "entry",
    dn,
    line: 0,
    objectClass,
    text: record,
    form: "canonical",
    offset,
    bytes: record.length,
  };
}

/**
 * Reads a content file that the target wrote itself (its SHA-256 matches the applied marker),
 * so every record is known to be canonical and valid: records are found by their blank lines
 * and only the DN and objectClass values are read. Entries carry no line numbers. Returns false
 * as soon as the input does not look like canonical LDIF; the caller then reads it in full.
 *
 * @example if (!(await scanCanonicalLdif(chunks, onEntry))) … read it with scanLdif
 */
export async function scanCanonicalLdif(
  input: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  onEntry: (entry: ScannedEntry) => void,
): Promise<boolean> {
  let pieces: string[] = [];
  let first = true;
  // The input is ASCII (checked per chunk) and records follow each other: bytes are characters.
  let offset = 0;
  const record = (text: string): boolean => {
    const at = offset;
    offset += text.length;
    if (first) {
      first = false;
      return text === VERSION;
    }
    const entry = entryOf(text, at);
    if (!entry) return false;
    onEntry(entry);
    return true;
  };
  for await (const chunk of input) {
    if (!isAscii(chunk)) return false;
    const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString("latin1");
    let pos = 0;
    if (pieces.length) {
      const straddles = (pieces[pieces.length - 1] as string).endsWith("\n") && text.charCodeAt(0) === 10;
      const end = straddles ? -1 : text.indexOf("\n\n");
      if (!straddles && end === -1) {
        pieces.push(text);
        continue;
      }
      pos = straddles ? 1 : end + 2;
      const whole = pieces.join("") + text.slice(0, pos);
      pieces = [];
      if (!record(whole)) return false;
    }
    for (;;) {
      const end = text.indexOf("\n\n", pos);
      if (end === -1) {
        if (pos < text.length) pieces.push(text.slice(pos));
        break;
      }
      if (!record(text.slice(pos, end + 2))) return false;
      pos = end + 2;
    }
  }
  return pieces.length === 0 && !first;
}
