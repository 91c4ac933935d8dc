import { TextDecoder } from "node:util";
import { OverstapError } from "../../src/errors.js";

/** The text of one top-level element of a JSON array or one JSON Lines line, with where it starts. */
export interface JsonElement {
  text: string;
  /** 1-based line where the element starts. */
  line: number;
  /** 0-based position in the array, or the count of non-blank lines before it (JSON Lines). */
  index: number;
}

/**
 * Splits a JSON array (first non-blank character `[`) or a JSON Lines file into the texts of
 * its elements, in constant memory per element. Each element is parsed by the caller, so one bad
 * element is one invalid record. A broken array structure (unterminated string, missing `]`) is
 * an error: the file is incomplete.
 */
const WHITESPACE = new Set([" ", "\t", "\r", "\n"]);

export async function* jsonElements(
  bytes: AsyncIterable<Uint8Array>,
  file: string,
): AsyncGenerator<JsonElement> {
  const decoder = new TextDecoder("utf-8");
  let mode: "unknown" | "array" | "lines" = "unknown";
  let line = 1;
  let index = 0;
  let current = "";
  let start = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let closed = false;
  let elementLine = 1;
  let seen = false;

  const broken = (message: string) =>
    new OverstapError("SOURCE_INVALID", `${file}:${line}: ${message}`, {
      hint: "The file is incomplete or not JSON; export it again.",
    });

  for await (const chunk of bytes) {
    const text = decoder.decode(chunk, { stream: true });
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] as string;
      if (mode === "unknown") {
        if (ch === "\n") line += 1;
        if (WHITESPACE.has(ch) || ch === "\ufeff") continue;
        mode = ch === "[" ? "array" : "lines";
        if (mode === "array") {
          start = i + 1;
          continue;
        }
        start = i;
        elementLine = line;
      }
      if (mode === "lines") {
        if (ch !== "\n") continue;
        const body = (current + text.slice(start, i)).replace(/\r$/, "");
        current = "";
        start = i + 1;
        if (body.trim() !== "") yield { text: body, line: elementLine, index: index++ };
        line += 1;
        elementLine = line;
        continue;
      }
      if (closed) {
        if (ch === "\n") line += 1;
        else if (!WHITESPACE.has(ch)) throw broken("text after the end of the array");
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (ch === "\\") escaped = true;
        else if (ch === '"') inString = false;
        else if (ch === "\n") throw broken("a line break inside a string");
        continue;
      }
      if (ch === "\n") {
        line += 1;
        continue;
      }
      if (depth === 0 && (ch === "," || ch === "]")) {
        const body = current + text.slice(start, i);
        current = "";
        start = i + 1;
        if (ch === "]") closed = true;
        if (ch === "," || seen || index > 0) yield { text: body, line: elementLine, index: index++ };
        seen = false;
        continue;
      }
      if (!seen && !WHITESPACE.has(ch)) {
        seen = true;
        elementLine = line;
      }
      if (ch === '"') inString = true;
      else if (ch === "{" || ch === "[") depth += 1;
      else if (ch === "}" || ch === "]") depth -= 1;
    }
    current += text.slice(start);
    start = 0;
  }
  current += decoder.decode();
  if (mode === "array" && !closed) throw broken("the array is not closed (missing ']')");
  if (mode === "lines" && current.replace(/\r$/, "").trim() !== "")
    yield { text: current.replace(/\r$/, ""), line: elementLine, index };
}
