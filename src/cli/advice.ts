import { failureCodes } from "../execute/journaled.js";
import type { Run } from "../model/journal.js";
import type { StateStore } from "../state/store.js";

/** Failures that a later attempt of the same operation can get past: resume the run. */
const TRANSIENT: ReadonlySet<string> = new Set([
  "TARGET_UNREACHABLE",
  "TARGET_TLS",
  "TARGET_AUTH",
  "SOURCE_THROTTLED",
]);

/**
 * What to do after a run with failures, as lines to print. A transient failure (connection, TLS,
 * credentials, throttling) is fixed outside the plan, then the run is resumed; any other (the
 * directory refused the values, the object is not where the plan expects it) cannot succeed with
 * this plan: the mapping, the directory or its schema must change and a new plan be made.
 * @example (await failureAdvice(store, run, { resume, replan, report })).join("\n")
 */
export async function failureAdvice(
  store: StateStore,
  run: Run,
  commands: { resume: string; replan: string; report: string },
): Promise<string[]> {
  const codes = await failureCodes(store, run.id);
  const total = [...codes.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return [];
  const count = (transient: boolean) =>
    [...codes].filter(([c]) => TRANSIENT.has(c) === transient).reduce((a, [, n]) => a + n, 0);
  const byCode = [...codes].map(([c, n]) => `${n} ${c}`).join(", ");
  const lines = [`${total} operation(s) failed (${byCode}); each one is listed by: ${commands.report}`];
  const transient = count(true);
  const lasting = count(false);
  if (transient)
    lines.push(
      `${transient} failed on the connection or credentials: fix that, then finish the run with: ${commands.resume}`,
    );
  if (lasting)
    lines.push(
      `${lasting} cannot succeed with this plan (the directory refused what it carries): fix the mapping or the directory (for a schema error, \`overstap doctor\` names what is missing), then make a new plan and apply that: ${commands.replan}`,
    );
  return lines;
}
