import type { CheckFinding } from "../model/connector.js";
import { ownedGroups } from "../plan/ownership.js";
import { removeStaleWorkingFiles } from "../state/files.js";
import { type Project, plansDir } from "./project.js";

/**
 * What `doctor` says about ownership: the `protect:` rules, whether hand-made groups are
 * protected, and how many groups the state records as Overstap's. Opens no connector (opening a
 * target may write, and doctor writes nothing); a plan's review list names each protected
 * object it would have touched and each adoption.
 */
export async function ownershipFinding(project: Project): Promise<CheckFinding> {
  const { protect } = project.loaded.config;
  const owned = await ownedGroups(project.store, { readOnly: true });
  const rules = protect.objects.map((r) =>
    "dn" in r ? `dn ${r.dn}` : "subtree" in r ? `subtree ${r.subtree}` : `${r.attribute}=${r.value}`,
  );
  const groups = protect.unmanagedGroups
    ? "groups Overstap did not create keep their members (protect.unmanagedGroups)"
    : "groups Overstap did not create can be adopted with consent (protect.unmanagedGroups: false)";
  return {
    status: "ok",
    message: `protect: ${rules.length} rule(s)${rules.length ? ` (${rules.join("; ")})` : ""}; ${groups}; ${owned.size} group(s) recorded as Overstap's; accounts without an Overstap anchor are adopted only with consent`,
    hint: "A plan lists every protected object it would have touched (`protected`) and every adoption (`adoption`) in its review list.",
  };
}

/** Removes what killed plans left in the project's plans folder; says how many. */
export function staleFilesFinding(project: Project): CheckFinding {
  const removed =
    removeStaleWorkingFiles(plansDir(project.loaded)) + removeStaleWorkingFiles(project.loaded.baseDir);
  return {
    status: "ok",
    message: removed
      ? `removed ${removed} working file(s) a killed \`plan\` left behind (they held personal data)`
      : "no working files of killed plans are left behind",
  };
}
