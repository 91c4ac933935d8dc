import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Command } from "commander";
import { applyFile, describeRun } from "../app/apply-plan.js";
import { migrateState } from "../app/migrate-state.js";
import { planStage } from "../app/plan-stage.js";
import { openProject } from "../app/project.js";
import { pullSources } from "../app/pull.js";
import { report } from "../app/report.js";
import { rollbackRun } from "../app/rollback.js";
import { demoFiles } from "../demo/data.js";
import { OverstapError } from "../errors.js";
import { anchorFor } from "../plan/keys.js";
import { summaryLine } from "../report/diff-text.js";
import { action } from "./action.js";
import { type GlobalOptions, say } from "./output.js";
import { printPlan } from "./plan.js";

/**
 * The whole flow on the built-in demo board, in a fresh folder: pull two exports, plan and
 * apply a pilot stage and the full stage to an LDIF directory, write the board report, then
 * roll both runs back and check the directory is byte-identical to where it started.
 */
export async function runDemo(opts: GlobalOptions, dir: string, postgresSchema?: string): Promise<boolean> {
  const started = Date.now();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files = demoFiles((ref) => anchorFor(ref, "voorbeeld.nl"));
  if (postgresSchema !== undefined)
    files["overstap.yaml"] = withPostgresState(files["overstap.yaml"], postgresSchema);
  for (const [name, text] of Object.entries(files))
    writeFileSync(path.join(dir, name), text, { mode: 0o600 });
  const config = path.join(dir, "overstap.yaml");
  if (postgresSchema !== undefined) {
    const migrated = await migrateState(config);
    say(
      opts,
      `State in PostgreSQL ${migrated.where}, schema ${migrated.schema} (version ${migrated.version}).`,
    );
  }
  const directory = path.join(dir, "directory.ldif");
  const step = (title: string) => say(opts, `\n── ${title} ${"─".repeat(Math.max(0, 66 - title.length))}`);

  // Let the LDIF target write its canonical form first, so "byte-identical" compares like with like.
  let project = await openProject(config);
  await (await project.target()).close();
  await project.close();
  const original = readFileSync(directory);

  project = await openProject(config);
  try {
    step("1. pull: a LAS export (pupils) and an HR export (staff)");
    for (const info of await pullSources(project)) {
      say(
        opts,
        `   ${info.source}: ${info.persons} persons, ${info.groups} groups, ${info.invalid} unreadable records`,
      );
    }

    step("2. plan the pilot stage (the ICT pilot team)");
    const pilot = await planStage(project, "pilot", path.join(dir, "pilot.plan"));
    await printPlan(opts, pilot, 12);

    step("3. apply the pilot plan, exactly as reviewed");
    const pilotRun = await applyFile(project, pilot.file);
    say(opts, `   ${describeRun(pilotRun)}`);

    step("4. plan the whole board");
    const board = await planStage(project, "bestuur", path.join(dir, "bestuur.plan"));
    await printPlan(opts, board, 8);
    const md = await report(project, {
      subject: board.file,
      format: "md",
      lang: "nl",
      out: path.join(dir, "rapport-bestuur.md"),
    });
    const html = await report(project, {
      subject: board.file,
      format: "html",
      lang: "nl",
      out: path.join(dir, "rapport-bestuur.html"),
    });
    await report(project, {
      subject: board.file,
      format: "csv",
      lang: "nl",
      out: path.join(dir, "review.csv"),
    });
    say(
      opts,
      `   Board report: ${md.out} and ${html.out}; review list for IT staff: ${path.join(dir, "review.csv")}`,
    );

    step("5. apply the board plan");
    const boardRun = await applyFile(project, board.file);
    say(opts, `   ${describeRun(boardRun)}`);

    step("6. roll both runs back, newest first");
    for (const run of [boardRun, pilotRun]) {
      const undo = await rollbackRun(project, run.id, { out: path.join(dir, `rollback-${run.stage}.plan`) });
      say(opts, `   ${summaryLine(undo.header)}`);
      const undone = await applyFile(project, undo.file);
      say(opts, `   ${describeRun(undone)}`);
    }
  } finally {
    await project.close();
  }

  step("7. check");
  const identical = readFileSync(directory).equals(original);
  say(
    opts,
    identical
      ? "   The directory is byte-identical to where it started. ✓"
      : "   The directory differs from where it started. ✗",
  );
  say(
    opts,
    `\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s. Everything is in ${dir}; try:\n   overstap --config ${config} runs\n   overstap --config ${config} report ${path.join(dir, "bestuur.plan")} --format html --lang en --out board.html`,
  );
  return identical;
}

/** The demo's configuration with its state in PostgreSQL ($OVERSTAP_PG_URL), in `schema`. */
function withPostgresState(config: string, schema: string): string {
  return config.replace(
    "state: { sqlite: .overstap/state.db }",
    `state: { postgres: { url: { env: OVERSTAP_PG_URL }, schema: ${schema} } }`,
  );
}

/** Registers `overstap demo`. */
export function register(program: Command): void {
  program
    .command("demo")
    .description("run the whole flow on a built-in demo school board: no setup, no network, no servers")
    .option("--dir <dir>", "where to put the demo's files (default: a new temporary folder)")
    .option(
      "--postgres [schema]",
      "keep the state in PostgreSQL at $OVERSTAP_PG_URL, in a new schema (default: overstap_demo_ and a random suffix)",
    )
    .action(
      action(async (opts) => {
        const dir = (opts.dir as string | undefined) ?? mkdtempSync(path.join(tmpdir(), "overstap-demo-"));
        const pg = opts.postgres as string | boolean | undefined;
        const schema = pg === true ? `overstap_demo_${randomBytes(4).toString("hex")}` : pg || undefined;
        if (!(await runDemo(opts, path.resolve(dir), schema)))
          throw new OverstapError("INTERNAL", "the demo's rollback did not restore the directory exactly");
        return 0;
      }),
    );
}
