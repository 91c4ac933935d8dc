import path from "node:path";
import type { CheckFinding } from "../model/connector.js";
import { normKey } from "../plan/keys.js";
import { Ownership, ownedGroups } from "../plan/ownership.js";
import { removeStaleWorkingFiles } from "../state/files.js";
import type { Project } from "./project.js";

/**
 * What `doctor` says about ownership: how many target objects `protect:` keeps unchanged (rules
 * and hand-made groups) and how many person entries lack an anchor (each one a plan would link
 * becomes an adoption). Reads the target; writes nothing.
 */
export async function ownershipFinding(project: Project): Promise<CheckFinding> {
  const { config } = project.loaded;
  const ownership = new Ownership(config.protect, await ownedGroups(project.store, { readOnly: true }));
  const target = await project.target();
  let ruled = 0;
  let handMadeGroups = 0;
  let unanchored = 0;
  const examples: string[] = [];
  for await (const entry of target.read()) {
    const rule = ownership.protectedBy(entry);
    if (rule) {
      ruled++;
      if (examples.length < 3) examples.push(`${entry.key} (${rule})`);
    } else if (entry.type === "group" && !ownership.groupManaged(normKey(entry.key))) handMadeGroups++;
    else if (entry.type === "person" && !entry.attrs[config.correlation.anchor]?.length) unanchored++;
  }
  const groups = config.protect.unmanagedGroups
    ? `${handMadeGroups} group(s) Overstap did not create keep their members (protect.unmanagedGroups)`
    : `${handMadeGroups} group(s) Overstap did not create can be adopted with consent`;
  return {
    status: "ok",
    message: `protect: ${ruled} target object(s) match protect.objects${examples.length ? `, e.g. ${examples.join("; ")}` : ""}; ${groups}; ${unanchored} account(s) without an Overstap anchor are adopted, with consent only, if a plan links them`,
    hint: "A plan lists every protected object it would have touched (`protected`) and every adoption (`adoption`) in its review list.",
  };
}

/** Removes what killed plans left in the project's plans folder; says how many. */
export function staleFilesFinding(project: Project): CheckFinding {
  const plans = path.join(
    path.dirname(path.resolve(project.loaded.baseDir, project.loaded.config.state.sqlite)),
    "plans",
  );
  const removed = removeStaleWorkingFiles(plans) + removeStaleWorkingFiles(project.loaded.baseDir);
  return {
    status: "ok",
    message: removed
      ? `removed ${removed} working file(s) a killed \`plan\` left behind (they held personal data)`
      : "no working files of killed plans are left behind",
  };
}
