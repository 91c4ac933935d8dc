import type { SourceInfo } from "../state/store.js";
import type { Project } from "./project.js";
import { SILENT, type Steps } from "./steps.js";

/**
 * Pulls the configured sources (or one) into the state store. An interrupted pull resumes from
 * its last checkpoint; `full` starts over.
 * @example const infos = await pullSources(project, { source: "entra", full: true })
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
