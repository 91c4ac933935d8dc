import type { Client } from "ldapts";

/** What the server's subschema says about names and syntaxes, as far as writing needs it. */
export interface ServerSchema {
  /** The attribute's canonical name (its first NAME) for any of its names or its OID; undefined when unknown. */
  attributeName(name: string): string | undefined;
  /** The syntax OID of a canonical attribute name, following SUP; undefined when unknown. */
  syntaxOf(name: string): string | undefined;
  /** The object class's canonical name for any of its names or its OID; undefined when unknown. */
  className(name: string): string | undefined;
  /**
   * The attributes an entry of these object classes must and may hold (canonical names,
   * following SUP), and whether one of them is `extensibleObject` (which allows any attribute).
   * Classes the server does not define are left out.
   */
  classAttributes(classes: string[]): { must: Set<string>; may: Set<string>; extensible: boolean };
  /** The object classes that name the attribute in their own MUST or MAY. */
  classesAllowing(attribute: string): string[];
  /** Every attribute and object class name the server defines, lower-cased. */
  readonly attributeNames: ReadonlySet<string>;
  readonly classNames: ReadonlySet<string>;
}

interface Definition {
  oid: string;
  names: string[];
  sup?: string;
  syntax?: string;
}

/** Parses one RFC 4512 AttributeTypeDescription or ObjectClassDescription (the parts used here). */
function parseDefinition(text: string): Definition | null {
  const oid = /^\(\s*([0-9.]+|[A-Za-z][\w-]*)/.exec(text)?.[1];
  if (oid === undefined) return null;
  const nameMatch = /\bNAME\s+(?:'([^']+)'|\(\s*([^)]*)\))/.exec(text);
  const names =
    nameMatch?.[1] !== undefined
      ? [nameMatch[1]]
      : (nameMatch?.[2]?.match(/'[^']+'/g) ?? []).map((q) => q.slice(1, -1));
  const sup = /\bSUP\s+(?:'?([\w.-]+)'?|\(\s*([\w.-]+))/.exec(text);
  const syntax = /\bSYNTAX\s+'?([0-9.]+)/.exec(text)?.[1];
  const def: Definition = { oid, names };
  const supName = sup?.[1] ?? sup?.[2];
  if (supName !== undefined) def.sup = supName;
  if (syntax !== undefined) def.syntax = syntax;
  return def;
}

/** The names after `keyword` in a definition: `MUST cn`, `MAY ( mail $ uid )`, `SUP ( top $ person )`. */
function nameList(text: string, keyword: string): string[] {
  const m = new RegExp(`\\b${keyword}\\s+(?:\\(([^)]*)\\)|'?([\\w.;-]+)'?)`).exec(text);
  const raw = m?.[1] ?? m?.[2] ?? "";
  return raw
    .split("$")
    .map((n) => n.trim().replace(/^'|'$/g, ""))
    .filter((n) => n !== "");
}

function index(descriptions: string[]): { canonical: Map<string, string>; defs: Map<string, Definition> } {
  const canonical = new Map<string, string>();
  const defs = new Map<string, Definition>();
  for (const text of descriptions) {
    const def = parseDefinition(text);
    if (!def) continue;
    const name = def.names[0] ?? def.oid;
    for (const alias of [def.oid, ...def.names]) canonical.set(alias.toLowerCase(), name);
    defs.set(name, def);
  }
  return { canonical, defs };
}

/**
 * Builds a {@link ServerSchema} from the subschema entry's `attributeTypes` and `objectClasses`.
 * @example parseServerSchema(["( 2.5.4.3 NAME ( 'cn' 'commonName' ) SUP name )", …], [])
 */
export function parseServerSchema(attributeTypes: string[], objectClasses: string[]): ServerSchema {
  const attrs = index(attributeTypes);
  const classes = index(objectClasses);
  const classDefs = new Map(
    objectClasses.flatMap((text) => {
      const def = parseDefinition(text);
      if (!def) return [];
      const lists = { sup: nameList(text, "SUP"), must: nameList(text, "MUST"), may: nameList(text, "MAY") };
      return [[def.names[0] ?? def.oid, lists] as const];
    }),
  );
  const attributeName = (name: string) => attrs.canonical.get(name.toLowerCase()) ?? name;
  const classAttributes = (names: string[]) => {
    const must = new Set<string>();
    const may = new Set<string>();
    let extensible = false;
    const seen = new Set<string>();
    const visit = (name: string) => {
      const canonical = classes.canonical.get(name.toLowerCase());
      if (canonical === undefined || seen.has(canonical)) return;
      seen.add(canonical);
      if (canonical.toLowerCase() === "extensibleobject") extensible = true;
      const def = classDefs.get(canonical);
      for (const a of def?.must ?? []) must.add(attributeName(a));
      for (const a of def?.may ?? []) may.add(attributeName(a));
      for (const sup of def?.sup ?? []) visit(sup);
    };
    for (const n of names) visit(n);
    return { must, may, extensible };
  };
  const syntaxOf = (name: string, depth = 0): string | undefined => {
    const def = attrs.defs.get(name);
    if (!def || depth > 16) return undefined;
    if (def.syntax !== undefined) return def.syntax;
    const sup = def.sup === undefined ? undefined : attrs.canonical.get(def.sup.toLowerCase());
    return sup === undefined ? undefined : syntaxOf(sup, depth + 1);
  };
  return {
    attributeName: (name) => attrs.canonical.get(name.toLowerCase()),
    syntaxOf: (name) => syntaxOf(name),
    className: (name) => classes.canonical.get(name.toLowerCase()),
    classAttributes,
    classesAllowing: (attribute) => {
      const wanted = attributeName(attribute);
      return [...classDefs]
        .filter(([, d]) => [...d.must, ...d.may].some((a) => attributeName(a) === wanted))
        .map(([name]) => name);
    },
    attributeNames: new Set(attrs.canonical.keys()),
    classNames: new Set(classes.canonical.keys()),
  };
}

function values(entry: Record<string, unknown>, name: string): string[] {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
  const raw = key === undefined ? [] : entry[key];
  return (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === "string");
}

/**
 * Reads the server's subschema (found through the root DSE's `subschemaSubentry`).
 * @example const schema = await readServerSchema(client)
 */
export async function readServerSchema(client: Client): Promise<ServerSchema> {
  const root = await client.search("", { scope: "base", attributes: ["subschemaSubentry"] });
  const dn =
    values((root.searchEntries[0] ?? {}) as Record<string, unknown>, "subschemaSubentry")[0] ??
    "cn=Subschema";
  const { searchEntries } = await client.search(dn, {
    scope: "base",
    filter: "(objectClass=subschema)",
    attributes: ["attributeTypes", "objectClasses"],
  });
  const entry = (searchEntries[0] ?? {}) as Record<string, unknown>;
  return parseServerSchema(values(entry, "attributeTypes"), values(entry, "objectClasses"));
}
