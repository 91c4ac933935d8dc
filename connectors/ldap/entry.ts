import type { Entry } from "ldapts";
import type { ObjectType, TargetEntry } from "../../src/model/target-entry.js";

/** Decides an entry's type from its object classes, or null for entries that are neither. */
export type Classifier = (objectClasses: string[]) => ObjectType | null;

/**
 * A classifier for the configured group class and person classes (names compared
 * case-insensitively); groups win when an entry somehow has both.
 */
export function classifier(groupClass: string, personClasses: string[]): Classifier {
  const group = groupClass.toLowerCase();
  const persons = new Set(personClasses.map((c) => c.toLowerCase()));
  return (classes) => {
    const lower = classes.map((c) => c.toLowerCase());
    if (lower.includes(group)) return "group";
    return lower.some((c) => persons.has(c)) ? "person" : null;
  };
}

/**
 * Turns an ldapts search entry into a TargetEntry: attribute names as the server returns
 * them, string values only (binary values are left out), `ignore` attributes dropped.
 */
export function toTargetEntry(entry: Entry, classify: Classifier, ignore: Set<string>): TargetEntry | null {
  const attrs: Record<string, string[]> = {};
  for (const [name, raw] of Object.entries(entry)) {
    if (name === "dn" || ignore.has(name.toLowerCase())) continue;
    const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === "string");
    if (values.length > 0) attrs[name] = values;
  }
  const classes = Object.entries(attrs).find(([k]) => k.toLowerCase() === "objectclass")?.[1] ?? [];
  const type = classify(classes);
  return type === null ? null : { key: entry.dn, type, attrs };
}
