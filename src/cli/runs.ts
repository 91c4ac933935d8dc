import type { Command } from "commander";
import { openProject } from "../app/project.js";
import { type ListedRun, listRuns } from "../app/runs.js";
import type { Run } from "../model/journal.js";
import { action } from "./action.js";
import { commandLine } from "./hint.js";
import { say, sayJson } from "./output.js";

/** A local time without milliseconds: `2026-12-07 14:03:05`. */
function when(iso: string | undefined): string {
  return iso ? new Date(iso).toLocaleString("sv-SE") : "";
}

/** The runs as a table with a header line; `resume` gives the command that resumes a run. */
export function runsTable(runs: ListedRun[], resume: (run: Run) => string): string {
  const rows = runs.map((r) => [
    r.id,
    r.status,
    r.kind === "rollback" ? `rollback of ${r.rollbackOf}` : `stage ${r.stage}`,
    `${r.done}/${r.total}`,
    String(r.failed),
    when(r.startedAt),
    when(r.finishedAt),
    r.user ? `${r.user}@${r.host}${r.by ? ` (${r.by})` : ""}` : (r.by ?? ""),
    r.rolledBackBy.length
      ? `rolled back by ${r.rolledBackBy.join(", ")}`
      : r.status === "interrupted"
        ? `resume: ${resume(r)}`
        : "",
  ]);
  const header = ["RUN", "STATUS", "WHAT", "DONE", "FAILED", "STARTED", "FINISHED", "BY", "NOTE"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  return [header, ...rows]
    .map((cells) =>
      cells
        .map((c, i) => c.padEnd(widths[i] as number))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** Registers `overstap runs`. */
export function register(program: Command): void {
  program
    .command("runs")
    .description("list the runs (applies and rollbacks): state, times, who ran them, rollbacks")
    .action(
      action(async (opts) => {
        const project = await openProject(opts.config);
        try {
          const runs = await listRuns(project);
          if (opts.json) sayJson(runs);
          else if (runs.length === 0) say(opts, "No runs yet.");
          else
            say(
              opts,
              runsTable(runs, (r) => commandLine(opts, "apply", r.planFile, "--resume", r.id)),
            );
          return 0;
        } finally {
          await project.close();
        }
      }),
    );
}
