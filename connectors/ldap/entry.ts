import type { Entry } from "ldapts";
import type { ObjectType, TargetEntry } from "../../src/model/target-entry.js";
import { classSets, typeByClasses } from "../object-classes.js";

/** Decides an entry's type from its object classes, or null for entries that are neither. */
export type Classifier = (objectClasses: string[]) => ObjectType | null;

/**
 * A classifier for the configured group class and person classes, by the rule both LDAP-style
 * targets share (see `typeByClasses`: person classes win when an entry has both).
 */
export function classifier(groupClass: string, personClasses: string[]): Classifier {
  const sets = classSets(personClasses, [groupClass]);
  return (classes) => typeByClasses(classes, sets);
}

/**
 * The TargetEntry for an entry with these attributes, as a read would return it: `ignore`
 * attributes and empty attributes dropped, typed by `classify` (null when neither type).
 */
export function entryOf(
  key: string,
  attrs: Record<string, string[]>,
  env: { classify: Classifier; ignore: Set<string> },
): TargetEntry | null {
  const kept: Record<string, string[]> = {};
  let classes: string[] = [];
  for (const [name, values] of Object.entries(attrs)) {
    const lower = name.toLowerCase();
    if (values.length === 0 || env.ignore.has(lower)) continue;
    kept[name] = values;
    if (lower === "objectclass") classes = values;
  }
  const type = env.classify(classes);
  return type === null ? null : { key, type, attrs: kept };
}

/**
 * Turns an ldapts search entry into a TargetEntry: attribute names as the server returns
 * them, string values only (binary values are left out), `ignore` attributes dropped.
 */
export function toTargetEntry(entry: Entry, classify: Classifier, ignore: Set<string>): TargetEntry | null {
  const attrs: Record<string, string[]> = {};
  for (const name in entry) {
    if (name === "dn") continue;
    const raw = entry[name];
    if (typeof raw === "string") attrs[name] = [raw];
    else if (Array.isArray(raw)) attrs[name] = raw.filter((v): v is string => typeof v === "string");
  }
  return entryOf(entry.dn, attrs, { classify, ignore });
}
