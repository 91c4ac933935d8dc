import { z } from "zod";
import { type Group, GroupSchema } from "../../src/model/group.js";
import { type Person, PersonSchema } from "../../src/model/person.js";

const PersonRecordSchema = z.strictObject({
  kind: z.literal("person"),
  ...PersonSchema.omit({ source: true }).shape,
});
const { kind: groupKind, ...groupFields } = GroupSchema.omit({ source: true }).shape;
const GroupRecordSchema = z.strictObject({ kind: z.literal("group"), groupKind, ...groupFields });

/** A parsed record, or why it is invalid: the field path of the first problem and a reason without values. */
export type RecordResult =
  | { kind: "person"; person: Person }
  | { kind: "group"; group: Group }
  | { invalid: true; id?: string; kind?: "person" | "group"; field?: string; reason: string };

/**
 * Validates one element of a JSON source: `{ "kind": "person" | "group", …fields }` with the
 * fields of Person or Group except `source`, which is the connector's name. A group's own kind
 * (class, team, staff, security) is written `groupKind`, as `kind` names the record type. Unknown fields are
 * refused, so a typo (or a field that must never be imported) does not pass silently.
 */
export function parseRecord(text: string, source: string): RecordResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return {
      invalid: true,
      reason: `not valid JSON (${(err as Error).message.replace(/ in JSON at.*$/, "")})`,
    };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { invalid: true, reason: "expected an object with a kind" };
  }
  const obj = value as Record<string, unknown>;
  const id = typeof obj.id === "string" && obj.id !== "" ? obj.id : undefined;
  const withId = id === undefined ? {} : { id };
  if ("source" in obj) {
    return {
      invalid: true,
      ...withId,
      field: "source",
      reason: `"source" must not be set: it is the connector's name (${source})`,
    };
  }
  if (obj.kind !== "person" && obj.kind !== "group") {
    return { invalid: true, ...withId, field: "kind", reason: 'kind must be "person" or "group"' };
  }
  const parsed = obj.kind === "person" ? PersonRecordSchema.safeParse(obj) : GroupRecordSchema.safeParse(obj);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
    const path = [...issue.path.map(String), ...keys.slice(0, 1)].join(".");
    const reason =
      issue.code === "unrecognized_keys"
        ? `unknown field "${keys[0]}"`
        : `${path || "record"}: ${issue.message}`;
    return { invalid: true, ...withId, kind: obj.kind, ...(path ? { field: path } : {}), reason };
  }
  if (parsed.data.kind === "person") {
    const { kind, ...fields } = parsed.data;
    return { kind, person: { source, ...fields } };
  }
  const { kind, groupKind: gk, ...fields } = parsed.data;
  return { kind, group: { source, kind: gk, ...fields } };
}
