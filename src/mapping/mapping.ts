/**
 * The mapping file (docs/mapping.md): YAML that turns a canonical Person or Group into a
 * target entry. Compiled once, with every error naming file, line and key; evaluated for
 * every object, never throwing: problems with one object come back as `{ field, reason }`
 * for the review list.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { type LocatedYaml, parseLocatedYaml, parseWithSchema } from "../config/located-yaml.js";
import { isOverstapError, OverstapError } from "../errors.js";
import { type Group, GroupSchema } from "../model/group.js";
import { type Person, PersonSchema } from "../model/person.js";
import { type CompiledCondition, compileCondition } from "./condition.js";
import "./dutch-filters.js";
import { type CompiledTemplate, compileTemplate, type TemplateContext } from "./template.js";
import { NO_VALUES, type Scope, type Values } from "./template-scope.js";

/** A mapping ready to run; see {@link compileMapping}. */
export interface CompiledMapping {
  /** sha256 (hex) of the mapping text, recorded in plans. */
  readonly hash: string;
  /** The mapping's own `vars` (they win over the caller's). */
  readonly vars: Record<string, string>;
  /** Names of the attributes each section produces, in declaration order. */
  readonly attributes: { person: string[]; group: string[] };
  /** The objectClass values each section gives as plain text (templated values are not known before mapping). */
  readonly objectClasses: { person: string[]; group: string[] };
  mapPerson(person: Person, vars: Record<string, string>): MapResult;
  /** null when the mapping has no `group` section. */
  mapGroup(group: Group, vars: Record<string, string>): MapResult | null;
}

/** One evaluation problem, for the review list: `field` is an attribute name or `key`. */
export type MapError = { field: string; reason: string };

/** The target entry of one object, or why it could not be mapped. */
export type MapResult =
  | { ok: true; key: string; attrs: Record<string, string[]> }
  | { ok: false; errors: MapError[] };

type YamlPath = ReadonlyArray<string | number>;

const Scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);

const LookupValue = z.union([Scalar, z.array(Scalar)], { error: "must be a string or a list of strings" });

function sectionSchema(name: string) {
  return z.object(
    {
      key: z
        .string({
          error: (issue) =>
            issue.input === undefined ? "is missing: give the key template" : "must be a template string",
        })
        .min(1, "must not be empty"),
      attributes: z.record(z.string(), z.unknown(), {
        error: (issue) =>
          issue.input === undefined ? "is missing: list the attributes to produce" : "must be a map",
      }),
    },
    {
      error: (issue) =>
        issue.input === undefined
          ? `is missing: a mapping needs a ${name} section`
          : "must be a map with key and attributes",
    },
  );
}

const SectionSchema = sectionSchema("person");

const MappingSchema = z.object(
  {
    version: z.literal(1, { error: "must be 1" }),
    vars: z.record(z.string(), Scalar).default({}),
    lookups: z.record(z.string(), z.record(z.string(), LookupValue)).default({}),
    person: SectionSchema,
    group: sectionSchema("group").optional(),
  },
  { error: "a mapping is a map with version, vars, lookups, person and group (see docs/mapping.md)" },
);

const TOP_LEVEL_KEYS = ["version", "vars", "lookups", "person", "group"];
const SECTION_KEYS = ["key", "attributes"];

const ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9-]*(;[A-Za-z0-9-]+)*$/;
const ALTERNATIVE_KEYS = new Set(["value", "when", "required"]);

function fieldsOf(shape: Record<string, unknown>, maps: readonly string[]): Map<string, "value" | "map"> {
  return new Map(Object.keys(shape).map((k) => [k, maps.includes(k) ? "map" : "value"]));
}

const PERSON_FIELDS = fieldsOf(PersonSchema.shape, ["ext"]);
const GROUP_FIELDS = fieldsOf(GroupSchema.shape, ["ext"]);

interface Alternative {
  readonly when: CompiledCondition | undefined;
  readonly value: CompiledTemplate;
}

interface CompiledAttribute {
  readonly name: string;
  readonly required: boolean;
  readonly alternatives: readonly Alternative[];
}

/**
 * Compiles mapping text. `file` is used in error messages only. Throws MAPPING_INVALID naming
 * file, line and key for YAML syntax errors, unknown or missing keys, template and condition
 * syntax, unknown fields, filters and lookup tables, and wrong filter arguments.
 *
 * @example
 * const mapping = compileMapping(await readFile("mapping.yaml", "utf8"), "mapping.yaml");
 * const result = mapping.mapPerson(person, { realm: "voorbeeld.nl" });
 * if (result.ok) console.log(result.key, result.attrs);
 */
export function compileMapping(text: string, file: string): CompiledMapping {
  const located = parseLocatedYaml(text, file, "MAPPING_INVALID");
  checkKeys(located, [], TOP_LEVEL_KEYS);
  checkKeys(located, ["person"], SECTION_KEYS);
  checkKeys(located, ["group"], SECTION_KEYS);
  const spec = parseWithSchema(located, MappingSchema, located.value, [], "MAPPING_INVALID");
  const lookups = new Map(
    Object.entries(spec.lookups).map(([name, table]) => [
      name,
      new Map<string, Values>(
        Object.entries(table).map(([k, v]) => [
          k,
          Object.freeze((Array.isArray(v) ? v : [v]).filter((x) => x !== "")),
        ]),
      ),
    ]),
  );
  const compile = (
    section: z.infer<typeof SectionSchema>,
    name: string,
    fields: Map<string, "value" | "map">,
  ) => compileSection(section, { located, path: [name], fields, lookups, constants: spec.vars });
  const personSection = compile(spec.person, "person", PERSON_FIELDS);
  const groupSection = spec.group ? compile(spec.group, "group", GROUP_FIELDS) : undefined;
  return {
    hash: createHash("sha256").update(text).digest("hex"),
    vars: Object.freeze({ ...spec.vars }),
    attributes: Object.freeze({
      person: Object.freeze(personSection.attributes.map((a) => a.name)) as string[],
      group: Object.freeze(groupSection ? groupSection.attributes.map((a) => a.name) : []) as string[],
    }),
    objectClasses: Object.freeze({
      person: personSection.objectClasses,
      group: groupSection?.objectClasses ?? [],
    }),
    mapPerson: (p, vars) => mapObject(personSection, p, vars),
    mapGroup: (g, vars) => (groupSection ? mapObject(groupSection, g, vars) : null),
  };
}

/**
 * Reads and compiles a mapping file. Throws MAPPING_INVALID when it cannot be read or is
 * invalid.
 */
export async function loadMapping(file: string): Promise<CompiledMapping> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new OverstapError(
      "MAPPING_INVALID",
      `cannot read mapping file ${file}: ${(err as Error).message}`,
      {
        cause: err,
        hint: "Check the `mapping:` path in overstap.yaml (relative paths start at the config file).",
      },
    );
  }
  return compileMapping(text, file);
}

interface SectionContext {
  readonly located: LocatedYaml;
  readonly path: YamlPath;
  readonly fields: Map<string, "value" | "map">;
  readonly lookups: TemplateContext["lookups"];
  readonly constants: Record<string, string>;
}

interface CompiledSection {
  readonly attributes: readonly CompiledAttribute[];
  readonly key: CompiledTemplate;
  readonly objectClasses: string[];
}

function compileSection(section: z.infer<typeof SectionSchema>, sc: SectionContext): CompiledSection {
  const slots = new Map<string, number>();
  const ctx: TemplateContext = {
    fields: sc.fields,
    attrs: slots,
    lookups: sc.lookups,
    constants: sc.constants,
  };
  const attributes: CompiledAttribute[] = [];
  const objectClasses: string[] = [];
  for (const [name, raw] of Object.entries(section.attributes)) {
    const path = [...sc.path, "attributes", name];
    if (!ATTRIBUTE_NAME.test(name)) {
      throw located(
        sc.located,
        path,
        "is not a valid attribute name (letters, digits and '-', starting with a letter)",
      );
    }
    if (slots.has(name.toLowerCase())) {
      throw located(sc.located, path, "is declared twice (attribute names are case-insensitive)");
    }
    const specs = alternativesOf(raw, path, sc.located);
    if (name.toLowerCase() === "objectclass")
      objectClasses.push(...specs.filter((alt) => !alt.value.includes("{{")).map((alt) => alt.value.trim()));
    const alternatives = specs.map((alt) => ({
      when:
        alt.when === undefined
          ? undefined
          : at(sc.located, alt.whenPath, () => compileCondition(alt.when ?? "", ctx)),
      value: at(sc.located, alt.valuePath, () => compileTemplate(alt.value, ctx)),
    }));
    const required = specs.some((alt) => alt.required ?? alt.when === undefined);
    attributes.push({ name, required, alternatives });
    slots.set(name.toLowerCase(), attributes.length - 1);
  }
  const key = at(sc.located, [...sc.path, "key"], () => compileTemplate(section.key, ctx));
  return { attributes, key, objectClasses };
}

/** Refuses keys other than `allowed` in the map at `path` (a typo would otherwise be ignored). */
function checkKeys(yaml: LocatedYaml, path: YamlPath, allowed: readonly string[]): void {
  let value: unknown = yaml.value;
  for (const segment of path) value = (value as Record<string, unknown> | null)?.[segment];
  if (value === null || typeof value !== "object" || Array.isArray(value)) return;
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key))
      throw located(yaml, [...path, key], `unknown key; expected one of ${allowed.join(", ")}`);
  }
}

interface AlternativeSpec {
  value: string;
  when: string | undefined;
  required: boolean | undefined;
  valuePath: YamlPath;
  whenPath: YamlPath;
}

function alternativesOf(raw: unknown, path: YamlPath, yaml: LocatedYaml): AlternativeSpec[] {
  if (Array.isArray(raw)) {
    if (raw.length === 0) throw located(yaml, path, "is an empty list; remove the attribute or give values");
    return raw.map((item, i) => {
      if (Array.isArray(item))
        throw located(yaml, [...path, i], "is a nested list; give a value or { value, when }");
      return alternativeOf(item, [...path, i], yaml);
    });
  }
  return [alternativeOf(raw, path, yaml)];
}

function alternativeOf(raw: unknown, path: YamlPath, yaml: LocatedYaml): AlternativeSpec {
  if (typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean") {
    return { value: String(raw), when: undefined, required: undefined, valuePath: path, whenPath: path };
  }
  if (raw === null || typeof raw !== "object") {
    throw located(yaml, path, "has no value; give a template, a list, or { value, when }");
  }
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!ALTERNATIVE_KEYS.has(key))
      throw located(yaml, [...path, key], "unknown key; expected value, when or required");
  }
  const { value, when, required } = obj;
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
    throw located(yaml, [...path, "value"], "must be a template string");
  }
  if (when !== undefined && (typeof when !== "string" || when.trim() === "")) {
    throw located(yaml, [...path, "when"], "must be a condition string");
  }
  if (required !== undefined && typeof required !== "boolean") {
    throw located(yaml, [...path, "required"], "must be true or false");
  }
  return {
    value: String(value),
    when,
    required,
    valuePath: [...path, "value"],
    whenPath: [...path, "when"],
  };
}

function located(
  yaml: LocatedYaml,
  path: YamlPath,
  message: string,
  options: { cause?: unknown; hint?: string } = {},
) {
  return new OverstapError(
    "MAPPING_INVALID",
    `${yaml.file}:${yaml.lineOf(path)}: ${path.join(".")}: ${message}`,
    options,
  );
}

/** Runs a compile step, adding file, line and key to whatever it throws. */
function at<T>(yaml: LocatedYaml, path: YamlPath, step: () => T): T {
  try {
    return step();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const hint = isOverstapError(err) ? err.hint : undefined;
    throw located(yaml, path, message, hint === undefined ? { cause: err } : { cause: err, hint });
  }
}

function mapObject(section: CompiledSection, src: Person | Group, vars: Record<string, string>): MapResult {
  const { attributes } = section;
  const slots: Values[] = new Array(attributes.length);
  const scope: Scope = { src, vars: vars ?? {}, attrs: slots };
  const attrs: Record<string, string[]> = {};
  const errors: MapError[] = [];
  for (let i = 0; i < attributes.length; i++) {
    const attribute = attributes[i] as CompiledAttribute;
    try {
      const values = evaluateAttribute(attribute, scope);
      slots[i] = values;
      if (values.length > 0) attrs[attribute.name] = values;
      else if (attribute.required) {
        errors.push({
          field: attribute.name,
          reason: `required attribute is empty: ${explainEmpty(attribute, scope)}`,
        });
      }
    } catch (err) {
      slots[i] = NO_VALUES;
      errors.push({ field: attribute.name, reason: evaluationFailure(err) });
    }
  }
  let key = "";
  try {
    const keys = section.key.evaluate(scope);
    const problem = keyProblem(keys, section.key, scope);
    if (problem) errors.push({ field: "key", reason: problem });
    else key = keys[0] as string;
  } catch (err) {
    errors.push({ field: "key", reason: evaluationFailure(err) });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, key, attrs };
}

function evaluateAttribute(attribute: CompiledAttribute, scope: Scope): string[] {
  const { alternatives } = attribute;
  if (alternatives.length === 1) {
    const only = alternatives[0] as Alternative;
    if (only.when && !only.when.test(scope)) return [];
    return unique(only.value.evaluate(scope));
  }
  const all: string[] = [];
  for (const alt of alternatives) {
    if (alt.when && !alt.when.test(scope)) continue;
    for (const v of alt.value.evaluate(scope)) all.push(v);
  }
  return unique(all);
}

/** A fresh list of the non-empty values, first occurrence kept. */
function unique(values: Values): string[] {
  const n = values.length;
  if (n === 1) return values[0] === "" ? [] : [values[0] as string];
  if (n === 0) return [];
  if (n > 16) return [...new Set(values)].filter((v) => v !== "");
  const out: string[] = [];
  for (const v of values) if (v !== "" && !out.includes(v)) out.push(v);
  return out;
}

function keyProblem(keys: Values, template: CompiledTemplate, scope: Scope): string | undefined {
  if (keys.length === 0 || keys[0] === "")
    return `the key template gave no value: ${missingInputs(template, scope)}`;
  if (keys.length > 1)
    return `the key template gave ${keys.length} values; it must give one (use the first filter)`;
  const empty = emptyRdnType(keys[0] as string);
  return empty === undefined ? undefined : `the key has an empty ${empty} value`;
}

/** The attribute type of the first RDN with an empty value (`uid=,ou=…`), if any. */
function emptyRdnType(dn: string): string | undefined {
  for (let eq = dn.indexOf("="); eq >= 0; eq = dn.indexOf("=", eq + 1)) {
    if (dn[eq - 1] === "\\") continue;
    let next = eq + 1;
    while (dn[next] === " ") next++;
    const ch = dn[next];
    if (ch !== undefined && ch !== "," && ch !== "+" && ch !== ";") continue;
    let start = eq;
    while (start > 0 && !",+;".includes(dn[start - 1] as string)) start--;
    return dn.slice(start, eq).trim();
  }
  return undefined;
}

function explainEmpty(attribute: CompiledAttribute, scope: Scope): string {
  const applied = attribute.alternatives.filter((alt) => !alt.when || alt.when.test(scope));
  if (applied.length === 0) return "no alternative applies (every when condition is false)";
  const missing = new Set<string>();
  for (const alt of applied)
    for (const p of alt.value.paths) if (p.values(scope).length === 0) missing.add(p.source);
  if (missing.size === 0) return "the filters left no value (e.g. a lookup without an entry for it)";
  const names = [...missing];
  return `${names.join(", ")} ${names.length === 1 ? "has" : "have"} no value`;
}

function missingInputs(template: CompiledTemplate, scope: Scope): string {
  const names = [...new Set(template.paths.filter((p) => p.values(scope).length === 0).map((p) => p.source))];
  if (names.length === 0) return "the filters left no value";
  return `${names.join(", ")} ${names.length === 1 ? "has" : "have"} no value`;
}

function evaluationFailure(err: unknown): string {
  if (isOverstapError(err, "MAPPING_EVAL")) return err.message;
  return `a filter failed: ${err instanceof Error ? err.message : String(err)}`;
}
