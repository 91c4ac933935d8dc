import type { Command } from "commander";
import { migrateState } from "../app/migrate-state.js";
import { action } from "./action.js";
import { say, sayJson } from "./output.js";

/** Registers `overstap state` and its subcommands (`migrate`). */
export function register(program: Command): void {
  const state = program.command("state").description("the state store: PostgreSQL schema migrations");
  state
    .command("migrate")
    .description("create or upgrade the institution's schema in PostgreSQL (state.postgres)")
    .action(
      action(async (opts) => {
        const result = await migrateState(opts.config);
        if (opts.json) sayJson(result);
        else if (result.applied.length === 0)
          say(opts, `Schema ${result.schema} on ${result.where} is up to date (version ${result.version}).`);
        else
          say(
            opts,
            `Schema ${result.schema} on ${result.where}: applied migration ${result.applied.join(", ")}; now at version ${result.version}.`,
          );
        return 0;
      }),
    );
}
