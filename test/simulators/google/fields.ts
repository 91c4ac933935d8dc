/**
 * Partial responses as Google documents them ("Performance tips: partial response"): `fields`
 * is a comma-separated list of field paths; `a/b` selects `b` inside `a`, `a(b,c)` selects
 * several inside `a`, `*` selects everything at its level. Arrays are selected element-wise.
 */

/** A selection: each key selects a whole value (`true`) or a sub-selection. */
export type Selection = Map<string, Selection | true>;

/** A `fields` value the simulator cannot read (Google answers 400 "Invalid field selection"). */
export class FieldsError extends Error {}

function merge(into: Selection, key: string, value: Selection | true): void {
  const have = into.get(key);
  if (have === true || value === true) into.set(key, true);
  else if (have) for (const [k, v] of value) merge(have, k, v);
  else into.set(key, value);
}

/** Parses a `fields` value. */
export function parseFields(text: string): Selection {
  let i = 0;
  const list = (): Selection => {
    const out: Selection = new Map();
    for (;;) {
      const path: string[] = [];
      let name = "";
      while (i < text.length && !",()".includes(text[i] as string)) {
        const c = text[i++] as string;
        if (c === "/") {
          path.push(name);
          name = "";
        } else name += c;
      }
      path.push(name.trim());
      if (path.some((p) => p === "")) throw new FieldsError(`Invalid field selection ${text}`);
      let value: Selection | true = true;
      if (text[i] === "(") {
        i++;
        value = list();
        if (text[i++] !== ")") throw new FieldsError(`Invalid field selection ${text}`);
      }
      for (let k = path.length - 1; k > 0; k--) value = new Map([[path[k] as string, value]]);
      merge(out, path[0] as string, value);
      if (text[i] !== ",") return out;
      i++;
    }
  };
  const sel = list();
  if (i !== text.length) throw new FieldsError(`Invalid field selection ${text}`);
  return sel;
}

/** `value` trimmed to `sel`; absent fields stay absent. */
export function select(value: unknown, sel: Selection | true): unknown {
  if (sel === true || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => select(v, sel));
  if (sel.has("*")) return value;
  const out: Record<string, unknown> = {};
  for (const [k, s] of sel) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = select(v, s);
  }
  return out;
}

/** The names a selection asks for at its top level and one level down, to check them against a resource. */
export function unknownField(
  sel: Selection,
  known: Record<string, readonly string[]>,
  top: readonly string[],
): string | undefined {
  for (const [k, s] of sel) {
    if (k === "*" || top.includes(k)) continue;
    const inner = known[k];
    if (!inner) return k;
    if (s !== true)
      for (const f of s.keys())
        if (f !== "*" && !inner.includes(f.split("/")[0] as string)) return `${k}/${f}`;
  }
  return undefined;
}
