import path from "node:path";
import type { Command } from "commander";
import { exampleNames, initProject } from "../app/init-project.js";
import { action } from "./action.js";
import { say } from "./output.js";

/** Registers `overstap init`. */
export function register(program: Command): void {
  program
    .command("init")
    .description("scaffold overstap.yaml and a mapping, from an example")
    .argument("[dir]", "the folder to create them in", ".")
    .option("--example <name>", "start from an example in mappings/examples")
    .addHelpText(
      "after",
      () =>
        `\nExamples available: ${exampleNames().join(", ") || "(none)"}\n\n  overstap init mijn-bestuur --example ${exampleNames()[0] ?? "NAME"}`,
    )
    .action(
      action(async (opts, dir: string) => {
        const written = await initProject(path.resolve(dir), opts.example as string | undefined);
        for (const f of written) say(opts, `created ${f}`);
        say(opts, "Next: edit the sources and target in overstap.yaml, then run `overstap doctor`.");
        return 0;
      }),
    );
}
