/**
 * The executor journals the next batch while the operations of the batch before are still
 * running, so the target has work during the journal's commit. Operations on one object still
 * run in plan order, and a later operation's before-image is what the earlier one leaves.
 */
import { describe, expect, it } from "vitest";
import { applyPlan } from "../../src/execute/apply.js";
import type { TargetConnector } from "../../src/model/connector.js";
import { expectedAfter, fingerprint } from "../../src/model/entry.js";
import type { BeginRecord, JournalRecord } from "../../src/model/journal.js";
import type { Operation } from "../../src/model/operation.js";
import type { TargetEntry } from "../../src/model/target-entry.js";
import type { StateStore } from "../../src/state/store.js";
import { CLASS_5A, PEOPLE, PIET } from "../support/class-5a.js";
import { ownGroups } from "../support/owned.js";
import { rollBack } from "../support/rollback.js";
import { configText, person, world } from "../support/spine.js";

const piet = PIET;
const group = CLASS_5A;

/** The target, with every operation `held` selects waiting until `release()`; `log` lists started and finished operations. */
function gated(target: TargetConnector, held: (op: Operation) => boolean) {
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const log: string[] = [];
  const wrapped: TargetConnector = {
    ...target,
    apply: async (op) => {
      log.push(`start ${op.seq}`);
      if (held(op)) await gate;
      const after = await target.apply(op);
      log.push(`end ${op.seq}`);
      return after;
    },
  };
  return { target: wrapped, release, log };
}

async function journal(store: StateStore, runId: string): Promise<JournalRecord[]> {
  const out: JournalRecord[] = [];
  for await (const r of store.readJournal(runId)) out.push(r);
  return out;
}

/** Lets the executor run until `ready()` holds (it only waits on in-process promises here). */
async function until(ready: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await ready()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error("the executor did not get there");
}

describe("apply: one batch journaled ahead", () => {
  it("journals the next batch while the operations of the batches before are still running, up to two batches' worth", async () => {
    const names = ["Piet Puk", "Zoë Çelik", "Jan Jansen", "Anna Bakker", "Sem de Vries", "Eva Smit"];
    const w = await world({
      persons: names.map((n, i) => person(String(i + 1), ...(n.split(" ") as [string, string]))),
      config: configText("execution: { concurrency: 8, batchSize: 2 }"),
    });
    const plan = await w.plan();
    expect(plan.operations).toHaveLength(6);
    const first = new Set(plan.operations.slice(0, 2).map((op) => op.seq));
    const gate = gated(w.target, (op) => first.has(op.seq));
    const applying = applyPlan({ plan, config: w.config, store: w.store, target: gate.target, force: true });

    await until(async () => (await w.store.listRuns()).length === 1);
    const [run] = await w.store.listRuns();
    const id = run?.id as string;
    await until(async () => gate.log.includes("end 5"));
    // The first batch is held at the target. The second was journaled and sent at once; once it
    // finished, the third was journaled (with the second's done records) and sent too.
    expect((await journal(w.store, id)).map((r) => `${r.phase} ${r.seq}`)).toEqual([
      "begin 0",
      "begin 1",
      "begin 2",
      "done 2",
      "begin 3",
      "done 3",
      "begin 4",
      "begin 5",
    ]);
    expect(gate.log.filter((l) => l.startsWith("end"))).toEqual(["end 2", "end 3", "end 4", "end 5"]);

    gate.release();
    const done = await applying;
    expect(done).toMatchObject({ status: "completed", done: 6, failed: 0 });
    expect((await journal(w.store, id)).filter((r) => r.phase === "done")).toHaveLength(6);
  });

  it("runs a later operation on an object after the earlier one, with what that one leaves as its before-image", async () => {
    const w = await world({
      persons: [person("1", "Piet", "Puk"), person("2", "Zoë", "Çelik")],
      groups: [{ source: "las", id: "5A", name: "5A", kind: "class", members: ["1", "2"] }],
      target: [piet, group],
      config: configText("execution: { concurrency: 8, batchSize: 1 }"),
    });
    await ownGroups(w.store, group.key);
    const plan = await w.plan();
    const [update, addMembers] = plan.operations.filter((op) => op.type === "group");
    expect([update?.kind, addMembers?.kind]).toEqual(["update", "add-members"]);
    const gate = gated(w.target, (op) => op.seq === update?.seq);
    const applying = applyPlan({ plan, config: w.config, store: w.store, target: gate.target, force: true });

    await until(async () => (await w.store.listRuns()).length === 1);
    const [run] = await w.store.listRuns();
    const id = run?.id as string;
    const begun = async () =>
      (await journal(w.store, id)).filter((r): r is BeginRecord => r.phase === "begin");
    await until(async () => (await begun()).some((r) => r.seq === addMembers?.seq));
    const begin = (await begun()).find((r) => r.seq === addMembers?.seq);
    expect(begin?.before).toEqual(expectedAfter(update as Operation, group));
    expect(gate.log).not.toContain(`start ${addMembers?.seq}`);

    gate.release();
    expect(await applying).toMatchObject({ status: "completed", failed: 0 });
    const order = gate.log.filter((l) => l.endsWith(` ${update?.seq}`) || l.endsWith(` ${addMembers?.seq}`));
    expect(order).toEqual([
      `start ${update?.seq}`,
      `end ${update?.seq}`,
      `start ${addMembers?.seq}`,
      `end ${addMembers?.seq}`,
    ]);

    const { back } = await rollBack(w, id);
    expect(back.review).toEqual([]);
    const sorted = (entries: TargetEntry[]) => [...entries].sort((a, b) => a.key.localeCompare(b.key));
    expect(sorted(w.target.entries())).toEqual(sorted([piet, group]));
  });
  it("reads the before-image from the target once the earlier operation on the object has finished", async () => {
    const jan: TargetEntry = {
      key: `uid=j.jansen,${PEOPLE}`,
      type: "person",
      attrs: { objectClass: ["inetOrgPerson"], uid: ["j.jansen"], sn: ["Jansen"], cn: ["Jan Jansen"] },
    };
    const w = await world({
      persons: [],
      target: [piet, jan],
      config: configText("execution: { concurrency: 8, batchSize: 1 }"),
    });
    const update = (seq: number, entry: TargetEntry, sn: string): Operation => ({
      seq,
      kind: "update",
      type: "person",
      key: entry.key,
      changes: [{ attr: "sn", replace: [sn] }],
      fingerprint: fingerprint(entry),
    });
    // Piet, then Jan (held at the target), then Piet again: when the third batch is journaled,
    // the first operation has finished and the second has not.
    const planned = await w.plan();
    const plan = {
      ...planned,
      header: { ...planned.header, summary: { ...planned.header.summary, person: { update: 3 } } },
      operations: [update(0, piet, "Puk2"), update(1, jan, "J"), update(2, piet, "Puk3")],
    };
    const gate = gated(w.target, (op) => op.seq === 1);
    // A server that adds a value of its own to Piet on the first update.
    const stamping: TargetConnector = {
      ...gate.target,
      apply: async (op) => {
        const after = await gate.target.apply(op);
        if (op.seq !== 0) return after;
        return w.target.apply({ ...op, changes: [{ attr: "description", add: ["stamped"] }] });
      },
    };
    const applying = applyPlan({ plan, config: w.config, store: w.store, target: stamping, force: true });
    await until(async () => (await w.store.listRuns()).length === 1);
    const [run] = await w.store.listRuns();
    const id = run?.id as string;
    const begun = async () =>
      (await journal(w.store, id)).filter((r): r is BeginRecord => r.phase === "begin" && r.seq === 2);
    await until(async () => (await begun()).length === 1);
    expect(gate.log).not.toContain("end 1");
    const [begin] = await begun();
    expect(begin?.before?.attrs.description).toEqual(["stamped"]);

    gate.release();
    expect(await applying).toMatchObject({ status: "completed", done: 3, failed: 0 });
  });
});
