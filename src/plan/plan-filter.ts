import { z } from "zod";
import type { Operation } from "../model/operation.js";
import { OperationKindSchema } from "../model/operation.js";
import type { ReviewItem } from "../model/review.js";
import { ObjectTypeSchema } from "../model/target-entry.js";
import { firstRdn } from "./keys.js";

/**
 * Which operations of a saved plan to show (`overstap show`): every given field must match.
 * `person` is a source id (`las:1234` or `1234`), a login (`uid`, `mail`, `eduPersonPrincipalName`)
 * or the value of the key's first RDN; `school` a BRIN (or BRIN and vestiging); `class` part of
 * a group's name, which selects the group's operations and those of the persons it adds or removes.
 */
export const PlanFilterSchema = z.strictObject({
  kinds: z.array(OperationKindSchema).optional(),
  type: ObjectTypeSchema.optional(),
  person: z.string().min(1).optional(),
  key: z.string().min(1).optional(),
  school: z.string().min(1).optional(),
  class: z.string().min(1).optional(),
  attribute: z.string().min(1).optional(),
});
export type PlanFilter = z.infer<typeof PlanFilterSchema>;

/** The target entry of a key (lower-cased), for operations that do not carry school values themselves. */
export type EntryOf = (key: string) => Record<string, string[]> | undefined;

const LOGINS = ["uid", "mail", "eduPersonPrincipalName"];
const SCHOOLS = ["nlEduPersonHomeOrganizationId", "nlEduPersonHomeOrganizationBranchId"];

/**
 * The operations of a plan that match `filter`, in plan order, and the review items of the
 * person filtered for (all of them when nothing is filtered, none for other filters).
 *
 * @example
 * filterPlan(plan.operations, plan.review, { person: "las:1234" }).operations
 */
export function filterPlan(
  operations: readonly Operation[],
  review: readonly ReviewItem[],
  filter: PlanFilter,
  entryOf: EntryOf = () => undefined,
): { operations: Operation[]; review: ReviewItem[] } {
  const members = filter.class ? classMembers(operations, filter.class) : undefined;
  const kept = operations.filter(
    (op) =>
      (!filter.kinds || filter.kinds.includes(op.kind)) &&
      (!filter.type || op.type === filter.type) &&
      (!filter.key || [op.key, op.newKey ?? ""].some((k) => k.toLowerCase().includes(lower(filter.key)))) &&
      (!filter.attribute || touches(op, filter.attribute)) &&
      (!filter.person || isPerson(op, filter.person, entryOf)) &&
      (!filter.school || inSchool(op, filter.school, entryOf)) &&
      (!members || inClass(op, filter.class as string, members)),
  );
  // Review items name a record, not an operation: shown for a person filter, or when nothing is filtered.
  const filtered = Object.values(filter).some((v) => v !== undefined);
  const shownReview = filter.person
    ? review.filter((r) => sameRecord(r.record, filter.person as string))
    : filtered
      ? []
      : [...review];
  return { operations: kept, review: shownReview };
}

const lower = (s: string | undefined) => (s ?? "").toLowerCase();

/** The values an operation shows for `attr`: its entry's, what its changes set or had, and the target entry's. */
function valuesOf(op: Operation, attr: string, entryOf: EntryOf): string[] {
  const name = attr.toLowerCase();
  const out: string[] = [];
  for (const [a, v] of Object.entries(op.attrs ?? {})) if (a.toLowerCase() === name) out.push(...v);
  for (const c of op.changes ?? [])
    if (c.attr.toLowerCase() === name) out.push(...(c.add ?? []), ...(c.replace ?? []), ...(c.from ?? []));
  for (const [a, v] of Object.entries(entryOf(op.key.toLowerCase()) ?? {}))
    if (a.toLowerCase() === name) out.push(...v);
  return out;
}

function touches(op: Operation, attr: string): boolean {
  const name = attr.toLowerCase();
  return (
    Object.keys(op.attrs ?? {}).some((a) => a.toLowerCase() === name) ||
    (op.changes ?? []).some((c) => c.attr.toLowerCase() === name)
  );
}

function sameRecord(record: string, wanted: string): boolean {
  const r = record.toLowerCase();
  const w = wanted.toLowerCase();
  return r === w || r.endsWith(`:${w}`);
}

function isPerson(op: Operation, wanted: string, entryOf: EntryOf): boolean {
  if (op.type !== "person") return false;
  if (op.ref && sameRecord(op.ref, wanted)) return true;
  const w = wanted.toLowerCase();
  if (rdnValue(op.key) === w) return true;
  return LOGINS.some((a) => valuesOf(op, a, entryOf).some((v) => v.toLowerCase() === w));
}

function inSchool(op: Operation, brin: string, entryOf: EntryOf): boolean {
  const w = brin.toUpperCase();
  return SCHOOLS.some((a) => valuesOf(op, a, entryOf).some((v) => v.toUpperCase().startsWith(w)));
}

function rdnValue(key: string): string | undefined {
  try {
    return firstRdn(key)?.[0]?.value.toLowerCase();
  } catch {
    return undefined;
  }
}

const isClassGroup = (op: Operation, name: string) =>
  op.type === "group" &&
  [rdnValue(op.key), ...(op.attrs?.cn ?? []).map((v) => v.toLowerCase())].some((v) =>
    v?.includes(name.toLowerCase()),
  );

/** The keys (lower-cased) of the persons that the operations on the class's groups add or remove. */
function classMembers(operations: readonly Operation[], name: string): Set<string> {
  const out = new Set<string>();
  for (const op of operations) {
    if (!isClassGroup(op, name)) continue;
    for (const [a, v] of Object.entries(op.attrs ?? {}))
      if (a.toLowerCase() === "member") for (const m of v) out.add(m.toLowerCase());
    for (const c of op.changes ?? [])
      if (c.attr.toLowerCase() === "member")
        for (const m of [...(c.add ?? []), ...(c.remove ?? [])]) out.add(m.toLowerCase());
  }
  return out;
}

function inClass(op: Operation, name: string, members: Set<string>): boolean {
  return isClassGroup(op, name) || (op.type === "person" && members.has(op.key.toLowerCase()));
}
