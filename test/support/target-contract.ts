/**
 * The target contract kit: what every target must do, as checks a target is opened for. Run
 * with {@link describeTargetContract} against each target (memory, LDIF, LDAP, and every new
 * one); each check is also a plain function, so a test can show that it fails for a target
 * broken on purpose.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { applyPlan } from "../../src/execute/apply.js";
import { planRollback } from "../../src/execute/rollback.js";
import type { TargetConnector } from "../../src/model/connector.js";
import { directoryRules } from "../../src/model/directory-rules.js";
import { expectedAfter, fingerprint, sameEntry } from "../../src/model/entry.js";
import type { Operation } from "../../src/model/operation.js";
import { emptySummary } from "../../src/model/plan.js";
import type { TargetEntry } from "../../src/model/target-entry.js";
import { inExecutionOrder } from "../../src/plan/operation-order.js";
import { readPlan, writePlan } from "../../src/plan/plan-file.js";
import { planHeader } from "../../src/plan/plan-header.js";
import { openSqliteStore } from "../../src/state/sqlite.js";

/** A target opened for one check: empty but for the containers under which persons and groups go. */
export interface ContractTarget {
  target: TargetConnector;
  peopleBase: string;
  groupsBase: string;
  close(): Promise<void>;
}

/** Opens a fresh target for one check. */
export type OpenTarget = () => Promise<ContractTarget>;

const CONFIG = `
institution: { name: Contractschool, realm: example.nl }
profile: entree
sources: { las: { type: json, file: people.jsonl } }
target: { type: ldif, file: directory.ldif }
mapping: mapping.yaml
state: { sqlite: state.db }
stages: [{ name: all, select: { all: true } }]
`;
const loaded = parseConfig(CONFIG, path.join(tmpdir(), "contract", "overstap.yaml"));
const defaults = loaded.config.disable;

const personAttrs = (uid: string) => ({
  objectClass: ["inetOrgPerson", "eduPerson"],
  uid: [uid],
  cn: [`Contract ${uid}`],
  sn: ["Contract"],
});

/** Applies `op` and checks the after-image is `expectedAfter`, `get` agrees, and applying again changes nothing. */
async function applyExactly(
  t: TargetConnector,
  op: Operation,
  before: TargetEntry | null,
): Promise<TargetEntry | null> {
  const want = expectedAfter(op, before);
  const after = await t.apply(op);
  await t.flush?.();
  expect(fingerprint(after), `${op.kind} ${op.key}: after-image`).toBe(fingerprint(want));
  const at = op.newKey ?? op.key;
  expect(fingerprint(await t.get(at, op.type)), `${op.kind} ${op.key}: get afterwards`).toBe(
    fingerprint(want),
  );
  const again = await t.apply({ ...op, fingerprint: fingerprint(after) });
  expect(fingerprint(again), `${op.kind} ${op.key}: applied twice`).toBe(fingerprint(want));
  return after;
}

/** Every object of the target, by key. */
async function snapshot(t: TargetConnector): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  for await (const e of t.read()) out.set(e.key.toLowerCase(), fingerprint(e));
  return out;
}

/** The checks of the contract, by name. */
export const TARGET_CONTRACT: Record<string, (t: ContractTarget) => Promise<void>> = {
  async "creates, updates, renames and deletes exactly and idempotently"({ target, peopleBase }) {
    const a = `uid=contract-a,${peopleBase}`;
    const b = `uid=contract-b,${peopleBase}`;
    const op = { seq: 0, type: "person" as const, fingerprint: null };
    let e = await applyExactly(
      target,
      { ...op, kind: "create", key: a, attrs: personAttrs("contract-a") },
      null,
    );
    e = await applyExactly(
      target,
      {
        ...op,
        kind: "update",
        key: a,
        changes: [
          { attr: "cn", replace: ["Contract A"] },
          { attr: "mail", add: ["a@example.nl"] },
        ],
        fingerprint: fingerprint(e),
      },
      e,
    );
    e = await applyExactly(
      target,
      {
        ...op,
        kind: "rename",
        key: a,
        newKey: b,
        changes: [{ attr: "uid", replace: ["contract-b"] }],
        fingerprint: fingerprint(e),
      },
      e,
    );
    expect(await target.get(a, "person")).toBeNull();
    await applyExactly(target, { ...op, kind: "delete", key: b, fingerprint: fingerprint(e) }, e);
  },

  async "adds and removes group members exactly and idempotently"({ target, peopleBase, groupsBase }) {
    const members = ["m1", "m2", "m3"].map((u) => `uid=contract-${u},${peopleBase}`);
    for (const [i, key] of members.entries())
      await target.apply({
        seq: i,
        kind: "create",
        type: "person",
        key,
        attrs: personAttrs(`contract-m${i + 1}`),
        fingerprint: null,
      });
    const g = `cn=contract-group,${groupsBase}`;
    const op = { seq: 0, type: "group" as const, key: g };
    let e = await applyExactly(
      target,
      {
        ...op,
        kind: "create",
        attrs: { objectClass: ["groupOfNames"], cn: ["contract-group"], member: [members[0] as string] },
        fingerprint: null,
      },
      null,
    );
    e = await applyExactly(
      target,
      {
        ...op,
        kind: "add-members",
        changes: [{ attr: "member", add: members.slice(1) }],
        fingerprint: fingerprint(e),
      },
      e,
    );
    e = await applyExactly(
      target,
      {
        ...op,
        kind: "remove-members",
        changes: [{ attr: "member", remove: [members[1] as string] }],
        fingerprint: fingerprint(e),
      },
      e,
    );
    await applyExactly(target, { ...op, kind: "delete", fingerprint: fingerprint(e) }, e);
  },

  async "disables and enables by its own rules"({ target, peopleBase }) {
    const rules = target.rules?.(defaults) ?? directoryRules(defaults);
    const key = `uid=contract-d,${peopleBase}`;
    const op = { seq: 0, type: "person" as const, key };
    let e = await target.apply({
      ...op,
      kind: "create",
      attrs: personAttrs("contract-d"),
      fingerprint: null,
    });
    expect(rules.isDisabled(e?.attrs ?? {}, key)).toBe(false);
    const purgeAfter = new Date("2027-03-01T00:00:00Z");
    e = await target.apply({
      ...op,
      kind: "disable",
      changes: rules.disable({ purgeAfter }),
      purgeAfter: purgeAfter.toISOString(),
      fingerprint: fingerprint(e),
    });
    expect(e, "disabled entry").not.toBeNull();
    expect(rules.isDisabled(e?.attrs ?? {}, e?.key ?? key), "disabled after disable").toBe(true);
    expect(rules.purgeDue(e?.attrs ?? {}, new Date("2027-01-01T00:00:00Z")), "not due before its date").toBe(
      false,
    );
    e = await target.apply({
      ...op,
      key: e?.key ?? key,
      kind: "enable",
      changes: rules.enable(),
      fingerprint: fingerprint(e),
    });
    expect(rules.isDisabled(e?.attrs ?? {}, e?.key ?? key), "enabled after enable").toBe(false);
    await target.apply({ ...op, key: e?.key ?? key, kind: "delete", fingerprint: fingerprint(e) });
  },

  async "rolls a run back to exactly where it started"({ target, peopleBase, groupsBase }) {
    const keep = `uid=contract-keep,${peopleBase}`;
    await target.apply({
      seq: 0,
      kind: "create",
      type: "person",
      key: keep,
      attrs: personAttrs("contract-keep"),
      fingerprint: null,
    });
    await target.flush?.();
    const start = await snapshot(target);
    const kept = await target.get(keep, "person");
    const fresh = `uid=contract-new,${peopleBase}`;
    const group = `cn=contract-rollback,${groupsBase}`;
    const operations = inExecutionOrder([
      {
        seq: 0,
        kind: "create",
        type: "person",
        key: fresh,
        attrs: personAttrs("contract-new"),
        fingerprint: null,
      },
      {
        seq: 0,
        kind: "update",
        type: "person",
        key: keep,
        changes: [{ attr: "cn", replace: ["Changed"] }],
        fingerprint: fingerprint(kept),
      },
      {
        seq: 0,
        kind: "create",
        type: "group",
        key: group,
        attrs: { objectClass: ["groupOfNames"], cn: ["contract-rollback"], member: [fresh] },
        fingerprint: null,
      },
    ]);
    const dir = mkdtempSync(path.join(tmpdir(), "overstap-contract-"));
    const store = openSqliteStore(path.join(dir, "state.db"));
    try {
      const apply = async (plan: Parameters<typeof writePlan>[1], name: string) => {
        const file = path.join(dir, name);
        await writePlan(file, plan);
        return applyPlan({
          plan: await readPlan(file),
          config: loaded.config,
          store,
          target,
          force: true,
          allowDeletes: true,
        });
      };
      const summary = emptySummary();
      const header = planHeader({
        config: loaded.config,
        now: new Date(),
        stage: { name: "all", index: 0 },
        kind: "migrate",
        inputs: { snapshot: "", mapping: "", config: loaded.hash, target: "" },
        summary,
      });
      const run = await apply({ header, operations, review: [] }, "contract.plan");
      expect(run.status).toBe("completed");
      const changed = await target.get(keep, "person");
      expect(changed?.attrs.cn, "the run's update applied").toEqual(["Changed"]);
      const back = await planRollback({
        runId: run.id,
        config: loaded.config,
        configHash: loaded.hash,
        store,
        target,
      });
      expect(back.review).toEqual([]);
      expect((await apply(back, "rollback.plan")).status).toBe("completed");
      expect(await snapshot(target)).toEqual(start);
      expect(sameEntry(await target.get(keep, "person"), kept)).toBe(true);
      await target.apply({
        seq: 0,
        kind: "delete",
        type: "person",
        key: keep,
        fingerprint: fingerprint(kept),
      });
    } finally {
      await store.close();
    }
  },
};

/**
 * Registers every check of the contract as a test of the current `describe` block, each on a
 * target `open` makes fresh.
 *
 * @example
 * describe("LDIF target", () => describeTargetContract(openLdif));
 */
export function describeTargetContract(open: OpenTarget, timeout = 30_000): void {
  for (const [name, check] of Object.entries(TARGET_CONTRACT)) {
    it(
      name,
      async () => {
        const t = await open();
        try {
          await check(t);
        } finally {
          await t.close();
        }
      },
      timeout,
    );
  }
}
