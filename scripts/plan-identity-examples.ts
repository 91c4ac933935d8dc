/**
 * Part of `scripts/plan-identity.ts`: pulls each example in `mappings/examples/` from the Graph
 * simulator (its generated test tenant, large size) and writes a plan of every stage into the
 * folder given as the argument, against an empty target.
 */
import path from "node:path";
import { writePlan } from "../src/plan/plan-file.js";
import {
  EXAMPLES,
  type ExampleName,
  loadExample,
  planExample,
  pullFromSimulator,
} from "../test/examples/example.js";
import { poTenant, uniTenant, voTenant } from "../test/examples/tenants.js";

const out = process.argv[2] as string;
for (const name of EXAMPLES as readonly ExampleName[]) {
  const example = await loadExample(name);
  const tenant =
    name === "po-bestuur-entra"
      ? poTenant(400)
      : name === "vo-school-eckid"
        ? voTenant(2000, example.entra.extensionAttributes[0] as string)
        : uniTenant(2000);
  const store = await pullFromSimulator(example, tenant);
  try {
    for (const stage of example.loaded.config.stages) {
      const plan = await planExample(example, store, stage.name);
      await writePlan(path.join(out, `${name}-${stage.name}.plan`), plan);
    }
  } finally {
    await store.close();
  }
}
