import { AndFilter, type Client, EqualityFilter, type Filter, NoSuchObjectError, OrFilter } from "ldapts";
import type { TargetEntry } from "../../src/model/target-entry.js";
import { type Classifier, toTargetEntry } from "./entry.js";

/** How entries are read back: the type classifier and the attributes never read. */
export interface ReadEnv {
  classify: Classifier;
  ignore: Set<string>;
}

/**
 * Reads one entry by DN (base-scope search), or null when it does not exist or is neither a
 * person nor a group.
 * @example await readEntry(client, "uid=piet,ou=people,dc=example,dc=nl", env)
 */
export async function readEntry(client: Client, dn: string, env: ReadEnv): Promise<TargetEntry | null> {
  try {
    const { searchEntries } = await client.search(dn, { scope: "base", attributes: ["*"] });
    const found = searchEntries[0];
    return found === undefined ? null : toTargetEntry(found, env.classify, env.ignore);
  } catch (err) {
    if (err instanceof NoSuchObjectError) return null;
    throw err;
  }
}

/**
 * An equality filter `(attr=value)` as a filter object: the value travels as BER octets, so
 * `*`, `(`, `)`, `\` and NUL in it are data, never filter syntax (no injection).
 */
export function equals(attr: string, value: string): Filter {
  if (!/^[A-Za-z][A-Za-z0-9-]*(;[A-Za-z0-9-]+)*$|^[0-9]+(\.[0-9]+)+$/.test(attr)) {
    throw new TypeError(`not an LDAP attribute description: ${JSON.stringify(attr)}`);
  }
  return new EqualityFilter({ attribute: attr, value });
}

/** `(|(objectClass=a)(objectClass=b)…)` for the given classes. */
export function anyClass(classes: string[]): Filter {
  const filters = classes.map((c) => equals("objectClass", c));
  return filters.length === 1 ? (filters[0] as Filter) : new OrFilter({ filters });
}

/** `(&(a)(b))`. */
export function both(a: Filter, b: Filter): Filter {
  return new AndFilter({ filters: [a, b] });
}
