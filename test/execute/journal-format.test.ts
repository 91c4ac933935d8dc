/**
 * The journal's record format: a done record carries neither the operation (its begin record
 * has it) nor an after-image the begin record already predicts; resume and rollback read it.
 */
import { describe, expect, it } from "vitest";
import { applyPlan } from "../../src/execute/apply.js";
import { expectedAfter } from "../../src/model/entry.js";
import { afterImage, type BeginRecord, type JournalRecord } from "../../src/model/journal.js";
import type { Operation } from "../../src/model/operation.js";
import type { TargetEntry } from "../../src/model/target-entry.js";
import type { StateStore } from "../../src/state/store.js";
import { rollBack } from "../support/rollback.js";
import { configText, person, world } from "../support/spine.js";

const base = "ou=people,dc=school,dc=nl";
const original: TargetEntry[] = [
  {
    key: `uid=old.one,${base}`,
    type: "person",
    attrs: { objectClass: ["inetOrgPerson"], uid: ["old.one"], cn: ["Old One"], sn: ["One"] },
  },
];
const persons = ["Piet Puk", "Zoë Çelik", "Jan Jansen", "Anna Bakker", "Sem de Vries"].map((name, i) => {
  const [given, ...sur] = name.split(" ");
  return person(String(i + 1), given as string, sur.join(" "));
});

async function records(store: StateStore, runId: string): Promise<JournalRecord[]> {
  const out: JournalRecord[] = [];
  for await (const r of store.readJournal(runId)) out.push(r);
  return out;
}

const sorted = (entries: TargetEntry[]) => [...entries].sort((a, b) => a.key.localeCompare(b.key));

describe("journal format", () => {
  it("keeps the operation in the begin record only, and a predicted after-image nowhere", async () => {
    const w = await world({ persons, target: original });
    const plan = await w.plan();
    const run = await applyPlan({ plan, config: w.config, store: w.store, target: w.target, force: true });
    expect(run).toMatchObject({ status: "completed", done: plan.operations.length });

    const journal = await records(w.store, run.id);
    const begins = new Map(
      journal.filter((r): r is BeginRecord => r.phase === "begin").map((r) => [r.seq, r]),
    );
    const dones = journal.filter((r) => r.phase === "done");
    expect(dones).toHaveLength(plan.operations.length);
    for (const done of dones) {
      expect(Object.keys(done).sort()).toEqual(["at", "phase", "runId", "seq"]);
      const begin = begins.get(done.seq) as BeginRecord;
      expect(afterImage(begin, done)).toEqual(w.target.entries().find((e) => e.key === begin.op.key));
    }

    const { back, run: undone } = await rollBack(w, run.id);
    expect(back.review).toEqual([]);
    expect(undone.status).toBe("completed");
    expect(sorted(w.target.entries())).toEqual(sorted(original));
  });

  it("keeps an after-image the target reports differently, and rollback compares with it", async () => {
    const w = await world({ persons, target: original });
    const plan = await w.plan();
    // A server that adds a value of its own to every entry it creates.
    const stamping = {
      ...w.target,
      apply: (op: Operation) =>
        w.target.apply(
          op.kind === "create" ? { ...op, attrs: { ...op.attrs, description: ["stamped"] } } : op,
        ),
    };
    const run = await applyPlan({ plan, config: w.config, store: w.store, target: stamping, force: true });
    expect(run.status).toBe("completed");

    const journal = await records(w.store, run.id);
    const begins = new Map(
      journal.filter((r): r is BeginRecord => r.phase === "begin").map((r) => [r.seq, r]),
    );
    for (const done of journal.filter((r) => r.phase === "done")) {
      const begin = begins.get(done.seq) as BeginRecord;
      expect(done.after?.attrs.description).toEqual(["stamped"]);
      expect(done.after).not.toEqual(expectedAfter(begin.op, begin.before ?? null));
    }
    // Without the after-image in the journal, each created entry would look changed since the
    // run (drift) and be left alone.
    const { back } = await rollBack(w, run.id);
    expect(back.review).toEqual([]);
    expect(sorted(w.target.entries())).toEqual(sorted(original));
  });

  it("resumes a run that died after its begin records were durable and before its done records were", async () => {
    const w = await world({ persons, target: original, config: configText("execution: { batchSize: 2 }") });
    const plan = await w.plan();
    // The process dies at the second journal write: the first batch's begin records are
    // durable and its operations made, their done records are lost.
    let writes = 0;
    const dying = new Proxy(w.store, {
      get: (store, name) =>
        name === "journal"
          ? async (recs: JournalRecord[]) => {
              if (++writes === 2) throw new Error("killed");
              return store.journal(recs);
            }
          : (Reflect.get(store, name) as StateStore[keyof StateStore]).bind(store),
    });
    await expect(
      applyPlan({ plan, config: w.config, store: dying, target: w.target, force: true }),
    ).rejects.toThrow("killed");
    const [interrupted] = await w.store.listRuns();
    const id = interrupted?.id as string;
    expect((await records(w.store, id)).map((r) => r.phase)).toEqual(["begin", "begin"]);

    const resumed = await applyPlan({
      plan,
      config: w.config,
      store: w.store,
      target: w.target,
      resume: id,
      force: true,
    });
    expect(resumed).toMatchObject({ status: "completed", done: plan.operations.length, failed: 0 });
    const journal = await records(w.store, id);
    expect(journal.filter((r) => r.phase === "begin")).toHaveLength(plan.operations.length);
    expect(journal.filter((r) => r.phase === "done")).toHaveLength(plan.operations.length);

    const { back, run: undone } = await rollBack(w, id);
    expect(back.review).toEqual([]);
    expect(undone.status).toBe("completed");
    expect(sorted(w.target.entries())).toEqual(sorted(original));
  });
});
