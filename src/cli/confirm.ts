import { createInterface } from "node:readline/promises";
import type { Safety } from "../config/schema.js";
import { OverstapError } from "../errors.js";
import type { LoadedPlan } from "../plan/plan-file.js";

/** What {@link confirmRollbackDeletes} asks with; a terminal's by default. */
export interface Asker {
  interactive: boolean;
  ask(question: string): Promise<string>;
}

/** Asks on the terminal (stderr), when stdin and stderr are one. */
export const terminalAsker: Asker = {
  interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
  async ask(question) {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  },
};

/**
 * A rollback deletes what its run created without `--allow-deletes` (it is the inverse), but
 * never unnoticed: above `safety.*.maxDeletes.count` it asks for "yes" on a terminal, and a
 * script must pass `--yes`; otherwise it is refused (SAFETY_DELETES).
 */
export async function confirmRollbackDeletes(
  plan: LoadedPlan,
  safety: Safety,
  options: { yes?: boolean; asker?: Asker },
): Promise<void> {
  if (plan.header.kind !== "rollback" || options.yes) return;
  const persons = plan.header.summary.person.delete ?? 0;
  const groups = plan.header.summary.group.delete ?? 0;
  if (persons <= safety.person.maxDeletes.count && groups <= safety.group.maxDeletes.count) return;
  const what = `This rollback deletes ${persons} account(s) and ${groups} group(s) that run ${plan.header.rollbackOf} created, more than safety.*.maxDeletes allows without asking`;
  const asker = options.asker ?? terminalAsker;
  if (asker.interactive) {
    const answer = await asker.ask(`${what}.\nType "yes" to delete them: `);
    if (answer.trim().toLowerCase() === "yes") return;
  }
  throw new OverstapError("SAFETY_DELETES", `${what}; not confirmed`, {
    hint: asker.interactive
      ? "Nothing was changed. Run apply again and answer yes to go ahead."
      : "Nothing was changed. On a terminal apply asks; in a script, pass --yes after checking the counts.",
  });
}
