import { parse } from "yaml";

const TEMPLATE = /\{\{\s*([^}]*?)\s*\}\}/g;

/**
 * The pattern of the login attribute's values, read from the mapping's template: variables
 * filled in, each source field shown as `[field]` (`[givenName|initial]` when only its first
 * letter is used). No person's data is involved, so a board report may show it.
 *
 * @example
 * loginPattern(mappingText, "uid", { realm: "voorbeeld" }); // "[givenName|initial].[surname]@voorbeeld"
 */
export function loginPattern(
  mappingText: string,
  attribute: string,
  vars: Record<string, string>,
): string | null {
  const spec = parse(mappingText) as { person?: { attributes?: Record<string, unknown> } } | null;
  const template = firstTemplate(spec?.person?.attributes?.[attribute]);
  if (template === undefined) return null;
  return template.replace(TEMPLATE, (_whole, expr: string) => {
    const [head = "", ...filters] = expr.split("|").map((s) => s.trim());
    if (head.startsWith("vars.")) return vars[head.slice(5)] ?? `[${head}]`;
    if (filters.some((f) => f.startsWith("default"))) return `[${head}?]`;
    return filters.some((f) => f === "initial") ? `[${head}|initial]` : `[${head}]`;
  });
}

function firstTemplate(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return firstTemplate(value[0]);
  if (value && typeof value === "object" && "value" in value)
    return firstTemplate((value as { value: unknown }).value);
  return undefined;
}
