import { Directory } from "../../../connectors/ldif/directory.js";
import { classifier } from "../../../connectors/ldif/target.js";
import { fingerprint } from "../../../src/model/entry.js";
import type { Operation } from "../../../src/model/operation.js";

export const PEOPLE = "ou=people,dc=school,dc=nl";
export const GROUPS = "ou=groups,dc=school,dc=nl";
export const CLASSIFY = classifier(["inetOrgPerson"], ["groupOfNames"]);

/** A state as a comparable string: the sorted fingerprints of all persons and groups. */
export function stateOf(
  entries: Iterable<{ key: string; type: "person" | "group" | null; attrs: Record<string, string[]> }>,
): string {
  const out: string[] = [];
  for (const e of entries)
    if (e.type) out.push(fingerprint({ key: e.key, type: e.type, attrs: e.attrs }) as string);
  return out.sort().join(",");
}

/**
 * A deterministic sequence of `count` operations that each change something, valid in order,
 * and the state after every prefix (`states[m]` = after the first m operations).
 */
export function crashScenario(count: number): { ops: Operation[]; states: string[] } {
  let s = 7;
  const rand = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)] as T;
  const names = Array.from({ length: 12 }, (_, i) => `p${i}`);
  const dir = new Directory(CLASSIFY);
  const ops: Operation[] = [];
  const states = [stateOf(dir.entries())];
  while (ops.length < count) {
    const seq = ops.length;
    const n = pick(names);
    const key = `uid=${n},${PEOPLE}`;
    const group = `cn=${pick(["3a", "3b"])},${GROUPS}`;
    const candidates: Operation[] = [
      {
        seq,
        kind: "create",
        type: "person",
        key,
        attrs: { objectClass: ["inetOrgPerson"], uid: [n], cn: [`Zoë ${n}`], sn: ["Ødegård"] },
        fingerprint: null,
      },
      {
        seq,
        kind: "create",
        type: "group",
        key: group,
        attrs: { objectClass: ["groupOfNames"], cn: [group.slice(3, 5)], member: [""] },
        fingerprint: null,
      },
      {
        seq,
        kind: "update",
        type: "person",
        key,
        changes: [{ attr: "mail", replace: [`${n}.${seq}@school.nl`] }],
        fingerprint: "x",
      },
      {
        seq,
        kind: "disable",
        type: "person",
        key,
        changes: [{ attr: "description", add: [`disabled ${seq}`] }],
        fingerprint: "x",
      },
      {
        seq,
        kind: "add-members",
        type: "group",
        key: group,
        changes: [{ attr: "member", add: [key] }],
        fingerprint: "x",
      },
      {
        seq,
        kind: "remove-members",
        type: "group",
        key: group,
        changes: [{ attr: "member", remove: [key] }],
        fingerprint: "x",
      },
      { seq, kind: "rename", type: "person", key, newKey: `uid=${pick(names)},${PEOPLE}`, fingerprint: "x" },
      { seq, kind: "delete", type: "person", key, fingerprint: "x" },
    ];
    const op = pick(candidates);
    try {
      if (dir.apply(op).changes.length === 0) continue;
    } catch {
      continue;
    }
    ops.push(op);
    states.push(stateOf(dir.entries()));
  }
  return { ops, states };
}
