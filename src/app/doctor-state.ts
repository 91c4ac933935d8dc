import path from "node:path";
import { sqliteFile } from "../config/state.js";
import type { CheckFinding } from "../model/connector.js";
import { stateVersion } from "./migrate-state.js";
import type { Project } from "./project.js";
import { postgresTargetOf } from "./state-store.js";

/**
 * `overstap doctor` on the state store: the SQLite file, or the PostgreSQL server reached and the
 * schema's version against the one this Overstap needs (behind: run `overstap state migrate`).
 */
export async function stateFinding(project: Project): Promise<CheckFinding> {
  const { loaded } = project;
  const target = await postgresTargetOf(loaded);
  if (!target) {
    const file = path.resolve(loaded.baseDir, sqliteFile(loaded.config.state));
    return { status: "ok", message: `SQLite state store ${file}` };
  }
  const { version, needed } = await stateVersion(target);
  const at = `PostgreSQL ${target.where}, schema ${target.schema} at version ${version}`;
  if (version === needed) return { status: "ok", message: `${at} (current)` };
  if (version > needed)
    return {
      status: "failed",
      message: `${at}, newer than this overstap (${needed})`,
      hint: "Upgrade overstap.",
    };
  return {
    status: "failed",
    message: `${at}; this overstap needs version ${needed}`,
    hint: "Run `overstap state migrate` to create or upgrade the schema.",
  };
}
