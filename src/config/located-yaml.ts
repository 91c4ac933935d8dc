import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import type { z } from "zod";
import { type ErrorCode, OverstapError } from "../errors.js";

/** A parsed YAML file that can tell the line of any key path, for errors a user can act on. */
export interface LocatedYaml {
  file: string;
  value: unknown;
  /** 1-based line of the node at `path` (or of its nearest existing parent). */
  lineOf(path: ReadonlyArray<string | number>): number;
}

/**
 * Parses YAML text, keeping positions. A syntax error becomes an OverstapError with `code`,
 * naming the file and line.
 */
export function parseLocatedYaml(text: string, file: string, code: ErrorCode): LocatedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const line = lineCounter.linePos(first.pos[0]).line;
    throw new OverstapError(code, `${file}:${line}: ${first.message.split("\n")[0]}`, {
      hint: "Fix the YAML syntax at that line.",
    });
  }
  const lineOf = (path: ReadonlyArray<string | number>): number => {
    let node: unknown = doc.contents;
    let line = 1;
    const remember = (n: unknown) => {
      const range = (n as Node | null)?.range;
      if (range) line = lineCounter.linePos(range[0]).line;
    };
    remember(node);
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(seg),
        );
        if (!pair) break;
        remember(pair.key);
        node = pair.value;
        if (node && !isScalar(node)) continue;
        if (node) remember(node);
      } else if (isSeq(node) && typeof seg === "number") {
        node = node.items[seg];
        if (!node) break;
        remember(node);
      } else break;
    }
    return line;
  };
  return { file, value: toValue(doc, file, code), lineOf };
}

/** The document as plain values; a document whose aliases expand too far is refused, not expanded. */
function toValue(doc: ReturnType<typeof parseDocument>, file: string, code: ErrorCode): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new OverstapError(code, `${file}: ${err instanceof Error ? err.message : String(err)}`, {
      hint: "The file repeats YAML aliases (*name) so often that reading it would take too much memory; write the values out, or use fewer aliases.",
      cause: err,
    });
  }
}

/**
 * Validates `value` (found at `basePath` of `located`) against a zod schema; the first issues
 * become one OverstapError naming file, line and key, and what was expected.
 */
export function parseWithSchema<S extends z.ZodType>(
  located: LocatedYaml,
  schema: S,
  value: unknown,
  basePath: ReadonlyArray<string | number>,
  code: ErrorCode,
): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const lines = result.error.issues.slice(0, 5).map((issue) => {
    const path = [...basePath, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))];
    const key = path.length ? path.join(".") : "(top level)";
    return `${located.file}:${located.lineOf(path)}: ${key}: ${issue.message}`;
  });
  const more = result.error.issues.length > 5 ? `\n(and ${result.error.issues.length - 5} more)` : "";
  throw new OverstapError(code, lines.join("\n") + more);
}
