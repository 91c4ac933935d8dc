import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { OverstapError } from "../errors.js";
import type { JournalRecord } from "../model/journal.js";
import { readPlan } from "../plan/plan-file.js";
import { loginPattern } from "../report/login-pattern.js";
import { profileAttributes } from "../report/model.js";
import { type ReportFormat, writeReport } from "../report/write.js";
import { type Project, projectProfile } from "./project.js";
import { targetEntries } from "./target-entries.js";

/** What to report on (a plan file or a run id), in which form, and where to write it. */
export interface ReportRequest {
  subject: string;
  format: ReportFormat;
  lang: "nl" | "en";
  includeNames?: boolean;
  out?: string;
}

/**
 * Writes the report of a plan file or a run (by id), to `out` or standard output; returns how
 * many bytes, and where (null: standard output).
 * @example await report(project, { subject: "pilot.plan", format: "html", lang: "nl", out: "pilot.html" })
 */
export async function report(
  project: Project,
  req: ReportRequest,
): Promise<{ bytes: number; out: string | null }> {
  const common = {
    format: req.format,
    lang: req.lang,
    includeNames: req.includeNames === true,
    ...(req.out ? { out: req.out } : {}),
  };
  if (existsSync(req.subject)) {
    const plan = await readPlan(req.subject);
    const profile = await projectProfile(project);
    const { config } = project.loaded;
    const entries = await targetEntries(project, plan.operations);
    return writeReport({
      kind: "plan",
      header: plan.header,
      operations: plan.operations,
      review: plan.review,
      planFile: plan.file,
      hash: plan.hash,
      safety: config.safety,
      policy: { maxLeftOutPercent: config.report.maxLeftOutPercent },
      display: { minCount: config.report.minCount, roles: config.report.roles },
      login: { attribute: "uid", pattern: await projectLoginPattern(project) },
      entryOf: (key) => entries.get(key),
      ...(profile ? { profile: profileAttributes(profile) } : {}),
      ...common,
    });
  }
  const run = await project.store.getRun(req.subject);
  if (!run) {
    throw new OverstapError("USAGE", `"${req.subject}" is neither a plan file nor a run id`, {
      hint: "`overstap runs` lists the runs.",
    });
  }
  const journal: JournalRecord[] = [];
  for await (const r of project.store.readJournal(run.id)) journal.push(r);
  return writeReport({ kind: "run", run, journal, ...common });
}

/** The login pattern of the project's mapping, or null when it cannot be read. */
async function projectLoginPattern(project: Project): Promise<string | null> {
  const { loaded } = project;
  const text = await readFile(path.resolve(loaded.baseDir, loaded.config.mapping), "utf8").catch(() => "");
  const vars = { realm: loaded.config.institution.realm, ...loaded.config.vars };
  return text ? loginPattern(text, "uid", vars) : null;
}
