import { existsSync, readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type LocatedYaml, parseLocatedYaml, parseWithSchema } from "../config/located-yaml.js";
import { OverstapError } from "../errors.js";
import type { ReviewItem } from "../model/review.js";
import { didYouMean } from "../util/did-you-mean.js";
import { attributeInfo, bundledProfilesDir } from "./profile-dictionary.js";
import { FORMATS, type FormatTest, identifierProblem } from "./profile-formats.js";
import { type Profile, type ProfileAttribute, ProfileFileSchema } from "./profile-schema.js";

export { attributeInfo, dictionaryAttributes } from "./profile-dictionary.js";
export { identifierProblem } from "./profile-formats.js";
export type { AttributeInfo, Profile, ProfileAttribute } from "./profile-schema.js";

/** Names of the profiles that ship with Overstap (`entree`, `eduid`, `surfconext`). */
export function bundledProfiles(): string[] {
  return readdirSync(bundledProfilesDir())
    .filter((f) => f.endsWith(".yaml") && f !== "attributes.yaml")
    .map((f) => f.slice(0, -5))
    .sort();
}

function profileFile(nameOrFile: string): string {
  if (!/^[a-z0-9-]+$/.test(nameOrFile)) return nameOrFile;
  const file = join(bundledProfilesDir(), `${nameOrFile}.yaml`);
  if (existsSync(file)) return file;
  throw new OverstapError("CONFIG_INVALID", `profile "${nameOrFile}" does not exist`, {
    hint: `Use one of ${bundledProfiles().join(", ")}, or the path of your own profile file.${didYouMean(nameOrFile, bundledProfiles())}`,
  });
}

function invalid(located: LocatedYaml, path: (string | number)[], message: string): OverstapError {
  return new OverstapError(
    "MAPPING_INVALID",
    `${located.file}:${located.lineOf(path)}: ${path.join(".")}: ${message}`,
  );
}

function sameName(a: string | undefined, b: string | undefined): boolean {
  return (a ?? "").toLowerCase() === (b ?? "").toLowerCase();
}

/**
 * Loads a federation profile by bundled name (`"surfconext"`) or from a YAML file, validated;
 * every error names file, line and key. Attribute names (SAML, OID, OIDC) come from the shared
 * dictionary; a profile may name an attribute outside it only by giving its `saml` name.
 * Example: `const p = await loadProfile("entree")`.
 */
export async function loadProfile(nameOrFile: string): Promise<Profile> {
  const file = profileFile(nameOrFile);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new OverstapError("CONFIG_NOT_FOUND", `cannot read profile file ${file}`, {
      cause: err,
      hint: "Check the profile path in overstap.yaml.",
    });
  }
  const located = parseLocatedYaml(text, file, "MAPPING_INVALID");
  const parsed = parseWithSchema(located, ProfileFileSchema, located.value, [], "MAPPING_INVALID");
  const attributes: ProfileAttribute[] = [];
  for (const [name, rule] of Object.entries(parsed.attributes)) {
    const path = ["attributes", name];
    const known = attributeInfo(name);
    if (known && known.name !== name) {
      throw invalid(located, path, `write the attribute as "${known.name}", the name the dictionary uses`);
    }
    if (!known && !rule.saml) {
      throw invalid(
        located,
        path,
        "not in the attribute dictionary: give its saml name (and oid, oidc if any)",
      );
    }
    for (const field of ["saml", "oid", "oidc"] as const) {
      if (known && rule[field] !== undefined && !sameName(rule[field], known[field])) {
        throw invalid(
          located,
          [...path, field],
          `the dictionary says ${known[field] ?? "(none)"}; one dictionary serves all profiles, so remove it here`,
        );
      }
    }
    let format: ProfileAttribute["format"];
    if (typeof rule.format === "string") format = { name: rule.format };
    else if (rule.format) {
      try {
        new RegExp(rule.format.regex, rule.format.flags);
      } catch (err) {
        throw invalid(
          located,
          [...path, "format", "regex"],
          `not a valid regular expression (${(err as Error).message})`,
        );
      }
      format = {
        name: rule.format.name ?? "regex",
        regex: rule.format.regex,
        flags: rule.format.flags ?? "",
      };
    }
    const saml = parsed.samlNames === "plain" ? name : (known?.saml ?? (rule.saml as string));
    const oid = known?.oid ?? rule.oid;
    const oidc = known?.oidc ?? rule.oidc;
    attributes.push({
      name,
      saml,
      ...(oid ? { oid } : {}),
      ...(oidc ? { oidc } : {}),
      min: rule.min,
      ...(rule.max !== undefined ? { max: rule.max } : {}),
      ...(format ? { format } : {}),
      ...(rule.values ? { values: rule.values } : {}),
      ...(rule.maxLength !== undefined ? { maxLength: rule.maxLength } : {}),
      identifier: rule.identifier,
      severity: rule.severity,
      ...(rule.description ? { description: rule.description } : {}),
    });
  }
  return { name: parsed.name, title: parsed.title, file, attributes };
}

type Check = (values: string[], record: string, out: ReviewItem[]) => void;

interface CompiledAttribute {
  name: string;
  lower: string;
  check: Check;
}

interface CompiledProfile {
  attributes: CompiledAttribute[];
  exact: Set<string>;
  lower: Set<string>;
}

const compiled = new WeakMap<Profile, CompiledProfile>();

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function compileAttribute(profile: Profile, attr: ProfileAttribute): Check {
  const { name, min, max, maxLength, identifier, severity, values } = attr;
  const where = `${profile.title} profile`;
  let test: FormatTest | undefined;
  if (attr.format?.regex !== undefined) {
    const re = new RegExp(attr.format.regex, attr.format.flags);
    test = (v) => re.test(v);
  } else if (attr.format) test = FORMATS[attr.format.name];
  const formatRule = attr.format ? `format:${attr.format.name}` : "";
  const vocabulary = values ? new Set(values) : undefined;
  const item = (rule: string, reason: string): ReviewItem => ({
    record: "",
    field: name,
    rule,
    reason: `${where}: ${reason}`,
    severity,
  });
  return (all, record, out) => {
    let count = 0;
    for (let i = 0; i < all.length; i++) {
      const v = all[i] as string;
      if (v.length === 0) continue;
      count++;
      if (test && !test(v)) {
        out.push({
          ...item(formatRule, `${name} value ${i + 1} is not a valid ${attr.format?.name}`),
          record,
        });
      }
      if (vocabulary && !vocabulary.has(v)) {
        out.push({ ...item("vocabulary", `${name} "${v}" is not one of ${values?.join(", ")}`), record });
      }
      if (maxLength !== undefined && v.length > maxLength && [...v].length > maxLength) {
        out.push({ ...item("too-long", `${name} is longer than ${maxLength} characters`), record });
      }
      if (identifier) {
        const problem = identifierProblem(v);
        if (problem)
          out.push({
            ...item("identifier-unsafe", `${name} ${problem}; it cannot be an identifier`),
            record,
          });
      }
    }
    if (count < min) {
      const need = max === min ? `exactly ${plural(min, "value")}` : `at least ${plural(min, "value")}`;
      out.push({ ...item("missing", `${name} needs ${need}, found ${count}`), record });
    } else if (max !== undefined && count > max) {
      out.push({
        ...item("too-many", `${name} allows at most ${plural(max, "value")}, found ${count}`),
        record,
      });
    }
  };
}

function compile(profile: Profile): CompiledProfile {
  let c = compiled.get(profile);
  if (!c) {
    const attributes = profile.attributes.map((a) => ({
      name: a.name,
      lower: a.name.toLowerCase(),
      check: compileAttribute(profile, a),
    }));
    c = {
      attributes,
      exact: new Set(attributes.map((a) => a.name)),
      lower: new Set(attributes.map((a) => a.lower)),
    };
    compiled.set(profile, c);
  }
  return c;
}

const NO_VALUES: string[] = [];

/**
 * Validates one mapped person's attributes (names case-insensitive) against a profile and
 * returns the findings: `error` items mean the person must be left out and reviewed,
 * `warning` items are reported. `record` names the person (`source:id`). Rules: `missing`,
 * `too-many`, `format:<name>`, `vocabulary`, `too-long`, `identifier-unsafe`. Values never
 * appear in reasons, except vocabulary values such as affiliations. Empty strings count as absent.
 * Example: `validateEntry(p, { uid: ["puk"] }, "entra:42")`.
 */
export function validateEntry(
  profile: Profile,
  attrs: Record<string, string[]>,
  record: string,
): ReviewItem[] {
  const out: ReviewItem[] = [];
  const c = compile(profile);
  let aliases: Map<string, string[]> | undefined;
  for (const key in attrs) {
    if (c.exact.has(key)) continue;
    const lower = key.toLowerCase();
    if (c.lower.has(lower)) {
      aliases ??= new Map();
      aliases.set(lower, attrs[key] as string[]);
    }
  }
  for (const a of c.attributes) {
    a.check(attrs[a.name] ?? aliases?.get(a.lower) ?? NO_VALUES, record, out);
  }
  return out;
}

/** True when the findings contain an error, i.e. the person must be left out of the operations. */
export function hasErrors(items: readonly ReviewItem[]): boolean {
  return items.some((i) => i.severity === "error");
}
