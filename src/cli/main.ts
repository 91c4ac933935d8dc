#!/usr/bin/env -S node --max-semi-space-size=64 --heap-growing-percent=30 --expose-gc
import { Command } from "commander";
import { register as registerApply } from "./apply.js";
import { register as registerApprove } from "./approve.js";
import { register as registerDemo } from "./demo.js";
import { register as registerDoctor } from "./doctor.js";
import { register as registerEckid } from "./eckid.js";
import { register as registerInit } from "./init.js";
import { register as registerLdapSchema } from "./ldap-schema.js";
import { register as registerPlan } from "./plan.js";
import { register as registerPull } from "./pull.js";
import { register as registerReport } from "./report.js";
import { register as registerRollback } from "./rollback.js";
import { register as registerRuns } from "./runs.js";
import { register as registerShow } from "./show.js";
import { register as registerState } from "./state.js";

const program = new Command("overstap")
  .description(
    "Move school and university accounts out of Entra ID, Google Workspace or Active Directory into\n" +
      "identities for Entree, SURFconext and eduID: pull → plan (dry run) → apply → rollback.",
  )
  .version("0.1.0")
  .option("-c, --config <file>", "the configuration file", "overstap.yaml")
  .option("--json", "machine-readable output")
  .option("-q, --quiet", "print only errors")
  .option("--no-color", "no colours (NO_COLOR is honoured too)")
  .option("--debug", "show stack traces")
  .showHelpAfterError("(overstap --help lists the commands; overstap COMMAND --help its options)")
  .addHelpText(
    "after",
    "\nA first look, no setup needed:\n  overstap demo\n\nThe everyday flow:\n  overstap pull\n  overstap plan --stage pilot --out pilot.plan\n  overstap apply pilot.plan\n  overstap rollback RUN --out undo.plan && overstap apply undo.plan",
  );

for (const register of [
  registerDemo,
  registerInit,
  registerDoctor,
  registerPull,
  registerPlan,
  registerShow,
  registerApprove,
  registerApply,
  registerRollback,
  registerRuns,
  registerState,
  registerReport,
  registerEckid,
  registerLdapSchema,
]) {
  register(program);
}

await program.parseAsync(process.argv);
