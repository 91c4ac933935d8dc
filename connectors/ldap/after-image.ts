import type { Client } from "ldapts";
import { applyChanges, sameEntry } from "../../src/model/entry.js";
import type { AttrChange } from "../../src/model/operation.js";
import type { TargetEntry } from "../../src/model/target-entry.js";
import { entryOf } from "./entry.js";
import { type ReadEnv, readEntry } from "./lookup.js";
import type { ServerSchema } from "./server-schema.js";

const SYNTAX = "1.3.6.1.4.1.1466.115.121.1.";
/** Syntaxes whose values the server stores exactly as sent (no "pretty" form). */
const VERBATIM = new Set(["15", "26", "44", "40", "50", "41", "36", "24", "27"].map((s) => SYNTAX + s));
/** Distinguished Name and Name And Optional UID: stored in the server's own DN form. */
const DN_SYNTAX = new Set(["12", "34"].map((s) => SYNTAX + s));
const OBJECT_CLASS = "objectClass";
/** An RDN value that no server escapes or rewrites: no DN specials, no `#`, no edge whitespace. */
const PLAIN_VALUE = /^[^\s,+"\\<>;=#\0](?:[^,+"\\<>;=#\0]*[^\s,+"\\<>;=#\0])?$/;

/**
 * True when the server will store and return `dn` exactly as written: single-valued RDNs whose
 * types are the schema's canonical names and whose values need no escaping. The server
 * rewrites other DNs into its own form (OpenLDAP: `\,` becomes `\2C`, `UID` becomes `uid`).
 * @example isStableDn("uid=p1,ou=people,dc=example,dc=nl", schema) // true
 */
export function isStableDn(dn: string, schema: ServerSchema): boolean {
  for (const rdn of dn.split(",")) {
    const eq = rdn.indexOf("=");
    if (eq <= 0) return false;
    const type = rdn.slice(0, eq);
    if (schema.attributeName(type) !== type || !PLAIN_VALUE.test(rdn.slice(eq + 1))) return false;
  }
  return true;
}

function stableValues(attr: string, values: string[], schema: ServerSchema): boolean {
  if (schema.attributeName(attr) !== attr) return false;
  if (attr === OBJECT_CLASS) return values.every((v) => schema.className(v) === v);
  const syntax = schema.syntaxOf(attr);
  if (syntax === undefined) return false;
  if (DN_SYNTAX.has(syntax)) return values.every((v) => isStableDn(v, schema));
  return VERBATIM.has(syntax);
}

/**
 * The entry as the server holds it after a successful write, computed from what was sent, so
 * that `apply` need not read every entry back. Only used where the server is known to store
 * exactly what it was sent: canonical attribute and object class names, syntaxes without a
 * "pretty" form, DNs that need no escaping (see {@link isStableDn}); anything else is read
 * back. The first predicted create and the first predicted modify of a session are also read
 * back and compared; one mismatch (a server that adds values, say) turns prediction off.
 */
export class AfterImages {
  readonly #schema: ServerSchema | null;
  readonly #verified = new Set<string>();
  #trusted: boolean;

  /** `schema` null (the subschema could not be read): every after-image is read back. */
  constructor(schema: ServerSchema | null) {
    this.#schema = schema;
    this.#trusted = schema !== null;
  }

  /** The attributes after adding an entry with `attrs` at `key`, or undefined when they must be read back. */
  created(key: string, attrs: Record<string, string[]>): Record<string, string[]> | undefined {
    const schema = this.#schema;
    if (!this.#trusted || schema === null || !isStableDn(key, schema)) return undefined;
    for (const [attr, values] of Object.entries(attrs))
      if (!stableValues(attr, values, schema)) return undefined;
    return attrs;
  }

  /** The attributes after `changes` on an entry the server has as `current`, or undefined when they must be read back. */
  modified(current: Record<string, string[]>, changes: AttrChange[]): Record<string, string[]> | undefined {
    const schema = this.#schema;
    if (!this.#trusted || schema === null) return undefined;
    for (const c of changes) {
      if (!stableValues(c.attr, [...(c.add ?? []), ...(c.replace ?? [])], schema)) return undefined;
    }
    return applyChanges(current, changes);
  }

  /** True when an entry moved to `newKey` (same RDN) is returned by the server under exactly that DN. */
  movedTo(newKey: string): boolean {
    return this.#trusted && this.#schema !== null && isStableDn(newKey, this.#schema);
  }

  /**
   * The after-image of a write that just succeeded on `key`: the predicted `attrs` when
   * prediction applies (verified once per `kind`), else the entry read back.
   */
  async settle(
    client: Client,
    kind: "create" | "modify",
    key: string,
    attrs: Record<string, string[]> | undefined,
    env: ReadEnv,
  ): Promise<TargetEntry | null> {
    if (attrs === undefined || !this.#trusted) return readEntry(client, key, env);
    const predicted = entryOf(key, attrs, env);
    if (this.#verified.has(kind)) return predicted;
    const read = await readEntry(client, key, env);
    if (sameEntry(read, predicted)) this.#verified.add(kind);
    else this.#trusted = false;
    return read;
  }
}
