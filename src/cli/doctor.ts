import type { Command } from "commander";
import { diagnose } from "../app/doctor.js";
import { openProject } from "../app/project.js";
import { createStyle } from "../report/style.js";
import { action } from "./action.js";
import { commandLine } from "./hint.js";
import { say, sayJson, useColor } from "./output.js";

/** Registers `overstap doctor`. */
export function register(program: Command): void {
  program
    .command("doctor")
    .description(
      "check the configuration, secrets, mapping, profile, sources and target; writes nothing, exit 1 when a check fails",
    )
    .action(
      action(async (opts) => {
        const project = await openProject(opts.config, { inspect: true });
        try {
          const findings = await diagnose(project, (...args) => commandLine(opts, ...args));
          if (opts.json) sayJson(findings);
          else {
            const style = createStyle(useColor(opts) ? process.stdout : { write: () => true });
            const marks = { ok: style.green("✓"), failed: style.red("✗"), "not checked": style.dim("-") };
            for (const f of findings) {
              const label = f.status === "not checked" ? `not checked: ${f.message}` : f.message;
              say(opts, `${marks[f.status]} ${f.area}: ${label}${f.hint ? `\n    ${f.hint}` : ""}`);
            }
            const failed = findings.filter((f) => f.status === "failed").length;
            const unchecked = findings.filter((f) => f.status === "not checked").length;
            say(
              opts,
              `${failed ? `${failed} check(s) failed` : "Every check passed"}${unchecked ? `; ${unchecked} not checked` : ""}.`,
            );
          }
          return findings.some((f) => f.status === "failed") ? 1 : 0;
        } finally {
          await project.close();
        }
      }),
    );
}
