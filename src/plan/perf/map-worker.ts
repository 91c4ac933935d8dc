import { parentPort, workerData } from "node:worker_threads";
import { toOverstapError } from "../../errors.js";
import type { Person } from "../../model/person.js";
import { normKey } from "../keys.js";
import { mapOnePerson, type PersonMapping } from "../map-person.js";
import { cellsFor } from "../mapped-person.js";
import { AttributeSpool } from "./attribute-spool.js";
import type { BatchResult, WorkerData, WorkerReply, WorkerRequest } from "./map-pool.js";
import { loadMappingStep } from "./mapping-recipe.js";

/**
 * A mapping worker (see `map-pool.ts`): builds the mapping from the recipe, then maps batches
 * of persons (their stored JSON text), writes the attributes of those that mapped to its own
 * spool file and answers each batch with the compact outcome.
 */
async function main(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const data = workerData as WorkerData;
  const spool = AttributeSpool.inFile(data.spool);
  let mapping: PersonMapping;
  try {
    const step = await loadMappingStep(data.recipe);
    mapping = { ...data.context, ...step };
  } catch (err) {
    port.postMessage(failure(-1, err));
    return;
  }
  port.on("message", (msg: WorkerRequest) => {
    if (msg.type === "end") {
      spool.flush();
      port.postMessage({ type: "end" } satisfies WorkerReply);
      return;
    }
    try {
      const out: BatchResult = [];
      let rows = 0;
      for (const text of msg.texts) {
        const o = mapOnePerson(JSON.parse(text) as Person, mapping);
        const m = o.mapped;
        if (!m) {
          out.push([o.refAnchor, o.review, o.ref]);
          continue;
        }
        spool.add(m.attrs);
        rows++;
        const cells = cellsFor(data.columns, m.attrs);
        const norm = normKey(m.key);
        out.push([
          o.refAnchor === m.anchor ? 0 : o.refAnchor,
          o.review,
          [
            o.ref,
            m.key,
            norm === m.key ? 0 : norm,
            m.anchor,
            m.ownAnchor,
            m.enabled,
            m.selected,
            cells,
            ...m.digest,
          ],
        ]);
      }
      port.postMessage({
        type: "batch",
        batch: msg.batch,
        rows,
        result: JSON.stringify(out),
      } satisfies WorkerReply);
    } catch (err) {
      port.postMessage(failure(msg.batch, err));
    }
  });
}

function failure(batch: number, err: unknown): WorkerReply {
  const e = toOverstapError(err, "INTERNAL", "mapping worker");
  return { type: "error", batch, code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) };
}

await main();
