import { type Command, InvalidArgumentError } from "commander";
import { showPlan } from "../app/show.js";
import { OverstapError } from "../errors.js";
import { OperationKindSchema } from "../model/operation.js";
import { planFingerprint } from "../plan/fingerprint.js";
import { type PlanFilter, PlanFilterSchema } from "../plan/plan-filter.js";
import { renderDiffText } from "../report/diff-text.js";
import { action } from "./action.js";
import { say, sayJson, useColor } from "./output.js";

/** Registers `overstap show`: the operations of a saved plan, filtered, like `terraform show`. */
export function register(program: Command): void {
  program
    .command("show")
    .description(
      "the operations of a saved plan with their values, filtered by person, key, school, class, kind or attribute",
    )
    .argument("<plan>", "a plan file")
    .option(
      "--person <id>",
      "a source id (las:1234 or 1234), a login (uid, mail, eduPersonPrincipalName) or a key's RDN value",
    )
    .option("--key <text>", "operations whose key contains this text")
    .option("--school <brin>", "persons of this BRIN (or BRIN and vestiging)")
    .option(
      "--class <name>",
      "the operations of groups whose name contains this, and of the persons they add or remove",
    )
    .option(
      "--kind <kinds>",
      "operation kinds, comma-separated: create, update, rename, disable, enable, delete, add-members, remove-members",
      kinds,
    )
    .option("--type <type>", "person | group")
    .option("--attribute <name>", "operations that write this attribute")
    .option("--limit <n>", "operations to show in full", (v) => Number.parseInt(v, 10), 200)
    .addHelpText(
      "after",
      "\nExamples:\n  overstap show pilot.plan --person las:140100\n  overstap show pilot.plan --kind disable,delete\n  overstap show pilot.plan --class 'groep 5A' --json",
    )
    .action(
      action(async (opts, file: string) => {
        const filter = planFilter(opts);
        const shown = await showPlan(file, filter, opts.config);
        if (shown.targetNote) process.stderr.write(`Note: ${shown.targetNote}.\n`);
        if (opts.json) {
          sayJson({
            file,
            header: shown.plan.header,
            filter,
            operations: shown.operations,
            review: shown.review,
          });
          return 0;
        }
        const filtered = Object.values(filter).some((v) => v !== undefined);
        say(
          opts,
          renderDiffText(shown.plan.header, shown.operations, shown.review, {
            color: useColor(opts),
            limit: opts.limit as number,
            fingerprint: planFingerprint(shown.plan.hash),
            ...(filtered ? { matched: shown.operations.length } : {}),
          }),
        );
        return 0;
      }),
    );
}

function kinds(value: string): string[] {
  const list = value.split(",").map((k) => k.trim());
  for (const k of list)
    if (!OperationKindSchema.safeParse(k).success)
      throw new InvalidArgumentError(
        `"${k}" is not an operation kind; use ${OperationKindSchema.options.join(", ")}.`,
      );
  return list;
}

function planFilter(opts: Record<string, unknown>): PlanFilter {
  const pick = (k: string) => (typeof opts[k] === "string" ? (opts[k] as string) : undefined);
  const type = pick("type");
  if (type !== undefined && type !== "person" && type !== "group")
    throw new OverstapError("USAGE", `--type ${type}: use person or group`);
  return PlanFilterSchema.parse(
    Object.fromEntries(
      Object.entries({
        kinds: opts.kind,
        type,
        person: pick("person"),
        key: pick("key"),
        school: pick("school"),
        class: pick("class"),
        attribute: pick("attribute"),
      }).filter(([, v]) => v !== undefined),
    ),
  );
}
