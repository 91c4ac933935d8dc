import type { Command } from "commander";
import type { SourceInfo } from "../state/store.js";
import { action } from "./action.js";
import { say, sayJson } from "./output.js";
import { openProject, type Project } from "./project.js";

/**
 * Pulls the configured sources (or one) into the state store. An interrupted pull resumes from
 * its last checkpoint; `full` starts over.
 */
export async function pullSources(project: Project, options: { source?: string; full?: boolean } = {}): Promise<SourceInfo[]> {
  const names = options.source ? [options.source] : Object.keys(project.loaded.config.sources);
  const out: SourceInfo[] = [];
  for (const name of names) {
    const source = await project.source(name);
    const previous = await project.store.sourceInfo(name);
    const events = source.read({
      ...(previous?.checkpoint !== undefined && !options.full ? { checkpoint: previous.checkpoint } : {}),
      full: options.full ?? false,
    });
    out.push(await project.store.ingest(name, events));
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
          const infos = await pullSources(project, { source: opts.source as string | undefined, full: opts.full === true });
          if (opts.json) sayJson(infos);
          else for (const i of infos) say(opts, `${i.source}: ${i.persons} persons, ${i.groups} groups, ${i.invalid} invalid records${i.complete ? "" : " (incomplete: run pull again)"}`);
          return infos.every((i) => i.complete) ? 0 : 1;
        } finally {
          await project.close();
        }
      }),
    );
}
