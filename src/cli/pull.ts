import type { Command } from "commander";
import type { SourceInfo } from "../state/store.js";
import { action } from "./action.js";
import { sayJson } from "./output.js";
import { SILENT, type Steps, steps } from "./progress.js";
import { openProject, type Project } from "./project.js";

/**
 * Pulls the configured sources (or one) into the state store. An interrupted pull resumes from
 * its last checkpoint; `full` starts over.
 */
export async function pullSources(
  project: Project,
  options: { source?: string; full?: boolean; progress?: Steps } = {},
): Promise<SourceInfo[]> {
  const progress = options.progress ?? SILENT;
  const names = options.source ? [options.source] : Object.keys(project.loaded.config.sources);
  const out: SourceInfo[] = [];
  for (const name of names) {
    const source = await project.source(name);
    const previous = await project.store.sourceInfo(name);
    const events = source.read({
      ...(previous?.checkpoint !== undefined && !options.full ? { checkpoint: previous.checkpoint } : {}),
      full: options.full ?? false,
      progress: progress.step(`pull ${name}`),
    });
    const info = await project.store.ingest(name, events);
    progress.finish(
      `${info.source}: ${info.persons} persons, ${info.groups} groups, ${info.invalid} unreadable records${info.complete ? "" : " (incomplete: run pull again to finish)"}`,
    );
    out.push(info);
  }
  return out;
}

/** Registers `overstap pull`. */
export function register(program: Command): void {
  program
    .command("pull")
    .description("snapshot the sources into the state store (incremental where the source allows it)")
    .option("--source <name>", "pull only this source")
    .option("--full", "ignore checkpoints and delta links; read everything")
    .addHelpText("after", "\nExamples:\n  overstap pull\n  overstap pull --source entra --full")
    .action(
      action(async (opts) => {
        const project = await openProject(opts.config);
        try {
          const infos = await pullSources(project, {
            ...(opts.source ? { source: opts.source as string } : {}),
            full: opts.full === true,
            progress: steps(opts),
          });
          if (opts.json) sayJson(infos);
          return infos.every((i) => i.complete) ? 0 : 1;
        } finally {
          await project.close();
        }
      }),
    );
}
