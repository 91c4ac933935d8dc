import type { Command } from "commander";
import { openProject } from "../app/project.js";
import { report } from "../app/report.js";
import { OverstapError } from "../errors.js";
import type { ReportFormat } from "../report/write.js";
import { action } from "./action.js";

/** Registers `overstap report`. */
export function register(program: Command): void {
  program
    .command("report")
    .description(
      "the board report of a plan, or what a run did (HTML, Markdown, JSON; CSV for the review list)",
    )
    .argument("<plan-or-run>", "a plan file or a run id")
    .option("--format <format>", "html | md | json | csv (default md; json with --json)")
    .option("--lang <lang>", "nl | en", "nl")
    .option("--include-names", "list persons by name (for IT staff; board reports show counts only)")
    .option("--out <file>", "write to this file instead of standard output (- is standard output)")
    .addHelpText(
      "after",
      "\nExamples:\n  overstap report pilot.plan --format html --lang nl --out pilot.html\n  overstap report pilot.plan --format csv --out review.csv",
    )
    .action(
      action(async (opts, subject: string) => {
        const format = reportFormat(opts.format as string | undefined, opts.json === true);
        if (!["html", "md", "json", "csv"].includes(format))
          throw new OverstapError("USAGE", `--format ${format}: use html, md, json or csv`);
        const lang = String(opts.lang);
        if (lang !== "nl" && lang !== "en") throw new OverstapError("USAGE", `--lang ${lang}: use nl or en`);
        const project = await openProject(opts.config);
        try {
          const result = await report(project, {
            subject,
            format: format as ReportFormat,
            lang,
            includeNames: opts.includeNames === true,
            ...(opts.out ? { out: opts.out as string } : {}),
          });
          if (result.out)
            process.stderr.write(opts.quiet ? "" : `Wrote ${result.out} (${result.bytes} bytes)\n`);
          return 0;
        } finally {
          await project.close();
        }
      }),
    );
}

/** The report's format: `--format`, else json with `--json`, else md; `--json` with another format is a usage error. */
function reportFormat(format: string | undefined, json: boolean): string {
  if (json && format !== undefined && format !== "json")
    throw new OverstapError("USAGE", `--json and --format ${format} ask for two formats`, {
      hint: "Leave out --json, or use --format json.",
    });
  return format ?? (json ? "json" : "md");
}
