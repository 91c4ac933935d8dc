import path from "node:path";
import type { Config } from "../../src/config/schema.js";
import { applyPlan } from "../../src/execute/apply.js";
import { planRollback } from "../../src/execute/rollback.js";
import type { TargetConnector } from "../../src/model/connector.js";
import type { Run } from "../../src/model/journal.js";
import { type LoadedPlan, type Plan, readPlan, writePlan } from "../../src/plan/plan-file.js";
import type { StateStore } from "../../src/state/store.js";

/** What a test world must offer to roll a run back. */
export interface RollbackWorld {
  dir: string;
  config: Config;
  configHash: string;
  store: StateStore;
  target: TargetConnector;
}

/**
 * `overstap rollback RUN --out DIR/rollback.plan`, then `overstap apply` of that file, in this
 * process: plans the rollback (`planForce` restores objects changed since the run), saves it,
 * reads it back and applies it.
 */
export async function rollBack(
  w: RollbackWorld,
  runId: string,
  options: { planForce?: boolean; allowDeletes?: boolean } = {},
): Promise<{ back: Plan; plan: LoadedPlan; run: Run }> {
  const back = await planRollback({
    runId,
    config: w.config,
    configHash: w.configHash,
    store: w.store,
    target: w.target,
    ...(options.planForce ? { force: true } : {}),
  });
  const file = path.join(w.dir, "rollback.plan");
  await writePlan(file, back);
  const plan = await readPlan(file);
  const run = await applyPlan({
    plan,
    config: w.config,
    store: w.store,
    target: w.target,
    force: true,
    ...(options.allowDeletes ? { allowDeletes: true } : {}),
  });
  return { back, plan, run };
}
