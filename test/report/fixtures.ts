import type { JournalRecord, Run } from "../../src/model/journal.js";
import type { Operation } from "../../src/model/operation.js";
import type { PlanHeader } from "../../src/model/plan.js";
import type { ReviewItem } from "../../src/model/review.js";

/** A plan header with the given summary counts (the report recounts operations itself). */
export function header(overrides: Partial<PlanHeader> = {}): PlanHeader {
  return {
    format: "overstap-plan",
    version: 1,
    id: "plan-1",
    createdAt: "2026-03-01T13:05:00.000Z",
    stage: "pilot",
    stageIndex: 0,
    kind: "migrate",
    institution: "Stichting Voorbeeld",
    profile: "entree",
    target: "ldap://localhost",
    inputs: { snapshot: "s1", mapping: "m1", config: "c1", target: "t1" },
    summary: {
      person: {},
      group: {},
      identityChanges: 0,
      adoptions: 0,
      review: { error: 0, warning: 0 },
      unchanged: { person: 7, group: 0 },
      population: { person: 20, group: 2 },
      target: { person: 100, group: 0 },
    },
    ...overrides,
  };
}

let seq = 0;

/** A create of a person with Entree attributes; `omit` leaves attributes out. */
export function createPerson(
  uid: string,
  brin: string,
  role: string,
  extra: Record<string, string[]> = {},
  omit: string[] = [],
): Operation {
  const attrs: Record<string, string[]> = {
    uid: [`${uid}@voorbeeld`],
    givenName: ["Anna"],
    sn: ["Jansen"],
    cn: [`Anna Jansen ${uid}`],
    eduPersonAffiliation: [role],
    nlEduPersonHomeOrganizationId: [brin],
    nlEduPersonHomeOrganization: ["School"],
    employeeNumber: ["1"],
    ...extra,
  };
  for (const o of omit) delete attrs[o];
  return { seq: seq++, kind: "create", type: "person", key: `uid=${uid},dc=x`, attrs, fingerprint: null };
}

/** An operation other than create on a person, showing school and role through `from`. */
export function changePerson(
  kind: Operation["kind"],
  uid: string,
  brin: string,
  role: string,
  more: Partial<Operation> = {},
): Operation {
  return {
    seq: seq++,
    kind,
    type: "person",
    key: `uid=${uid},dc=x`,
    changes: [
      { attr: "nlEduPersonHomeOrganizationId", from: [brin] },
      { attr: "eduPersonAffiliation", from: [role] },
    ],
    fingerprint: "fp",
    ...more,
  };
}

export function review(
  rule: string,
  severity: ReviewItem["severity"],
  more: Partial<ReviewItem> = {},
): ReviewItem {
  return { record: `las:${seq++}`, rule, reason: `reason for ${rule}`, severity, ...more };
}

export const ENTREE = {
  name: "entree",
  required: [
    "uid",
    "givenName",
    "sn",
    "eduPersonAffiliation",
    "nlEduPersonHomeOrganizationId",
    "employeeNumber",
  ],
  optional: ["eckId", "mail"],
};

export function run(overrides: Partial<Run> = {}): Run {
  return {
    id: "run-7",
    planId: "plan-1",
    planHash: "h",
    planFile: "plans/pilot.jsonl",
    stage: "pilot",
    stageIndex: 0,
    kind: "migrate",
    status: "failed",
    startedAt: "2026-03-02T09:00:00.000Z",
    finishedAt: "2026-03-02T09:10:00.000Z",
    total: 5,
    done: 2,
    failed: 1,
    ...overrides,
  };
}

/** A journal record of `op` at `seqNo`: a begin record holds the operation, a done or failed record follows one. */
export function journal(
  runId: string,
  seqNo: number,
  phase: JournalRecord["phase"],
  op: Operation,
  error?: { code: string; message: string },
): JournalRecord {
  const at = "2026-03-02T09:01:00.000Z";
  if (phase === "begin") return { runId, seq: seqNo, phase, at, op: { ...op, seq: seqNo }, before: null };
  if (phase === "done") return { runId, seq: seqNo, phase, at };
  return { runId, seq: seqNo, phase, at, error: error ?? { code: "TARGET_WRITE", message: "failed" } };
}

/** The begin record of `op` at `seqNo` followed by its `outcome`. */
export function journaled(
  runId: string,
  seqNo: number,
  outcome: "done" | "failed",
  op: Operation,
  error?: { code: string; message: string },
): JournalRecord[] {
  return [journal(runId, seqNo, "begin", op), journal(runId, seqNo, outcome, op, error)];
}
