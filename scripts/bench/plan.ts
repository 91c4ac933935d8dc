/**
 * Planner benchmark, one size per process so peak RSS is that size's own:
 *   node --import tsx scripts/bench/plan.ts 100000
 * Builds a snapshot of N synthetic persons (N/40 classes), an LDIF target holding half of
 * them (a tenth of those with an outdated mail), plans the whole population with the demo's
 * Entree mapping and profile, then applies the plan to the LDIF target and rolls it back.
 * Prints one JSON line: `planMs` includes opening the target (as `overstap plan` does, which
 * opens it alongside the mapping workers), `planCpuMs` is the process's CPU time while planning.
 *
 * `BENCH_KEEP=1` keeps the world folder; `--dir DIR` plans a kept world again (without
 * generating or pulling), after forgetting the identifiers earlier plans issued, so every
 * run plans the same first-plan work:
 *   node --import tsx scripts/bench/plan.ts 100000 --plan-only --dir /tmp/overstap-bench-XXXX
 * `--world-only` makes and pulls a world, prints `{"dir":…}` and stops: `npm run bench` plans
 * that world in a second process, as `overstap pull` and `overstap plan` are separate commands.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { formatLdifRecord } from "../../connectors/ldif/format.js";
import { openLdifTarget } from "../../connectors/ldif/target.js";
import { applyFile } from "../../src/app/apply-plan.js";
import { planStage } from "../../src/app/plan-stage.js";
import { openProject } from "../../src/app/project.js";
import { rollbackRun } from "../../src/app/rollback.js";
import { DEMO_GIVEN_NAMES, DEMO_SCHOOLS, demoFiles } from "../../src/demo/data.js";
import { escapeDnValue } from "../../src/model/dn.js";
import type { Operation } from "../../src/model/operation.js";
import { anchorFor } from "../../src/plan/keys.js";
import { readPlan } from "../../src/plan/plan-file.js";

const GIVEN = DEMO_GIVEN_NAMES.slice(0, 12);
const SURNAMES = [
  "Jansen",
  "Vries",
  "Berg",
  "Bakker",
  "Dijk",
  "Visser",
  "Smit",
  "Meijer",
  "Boer",
  "Mulder",
  "Çelik",
  "Hart",
];
const ldifEntry = (dn: string, attrs: Record<string, string[]>) =>
  formatLdifRecord({ kind: "content", dn, attrs });

/** Person `i` as the mapping would write it, with `mail`. */
function personEntry(i: number, mail: string): string {
  const uid = `p${i}@voorbeeld`;
  const { brin, name } = DEMO_SCHOOLS[i % 2] as (typeof DEMO_SCHOOLS)[number];
  const given = GIVEN[i % GIVEN.length] as string;
  const sn = SURNAMES[(i >> 3) % SURNAMES.length] as string;
  return ldifEntry(`uid=${escapeDnValue(uid)},ou=people,dc=voorbeeld,dc=nl`, {
    objectClass: ["inetOrgPerson", "eduPerson"],
    cn: [`${given} ${sn}`],
    displayName: [`${given} ${sn}`],
    eduPersonAffiliation: ["student"],
    eduPersonUniqueId: [anchorFor(`leerlingen:${i}`, "voorbeeld.nl")],
    employeeNumber: [String(i)],
    givenName: [given],
    mail: [mail],
    nlEduPersonHomeOrganization: [name],
    nlEduPersonHomeOrganizationBranchId: [`${brin}00`],
    nlEduPersonHomeOrganizationId: [brin],
    sn: [sn],
    uid: [uid],
  });
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 10_000);
  const planOnly = process.argv.includes("--plan-only");
  const dirArg = process.argv.indexOf("--dir");
  const kept = dirArg > 0 ? process.argv[dirArg + 1] : undefined;
  const dir = kept ?? mkdtempSync(path.join(tmpdir(), "overstap-bench-"));
  let pullMs = 0;
  if (kept) forgetIssuedIdentifiers(path.join(dir, ".overstap", "state.db"));
  else pullMs = await makeWorld(dir, n);
  if (process.argv.includes("--world-only")) {
    process.stdout.write(`${JSON.stringify({ dir, pullMs: Math.round(pullMs) })}\n`);
    return;
  }

  const project = await openProject(path.join(dir, "overstap.yaml"));
  let t = performance.now();
  const cpu = process.cpuUsage();
  const plan = await planStage(project, "bestuur", path.join(dir, "bench.plan"));
  const planMs = performance.now() - t;
  const planCpu = process.cpuUsage(cpu);
  const planRss = process.resourceUsage().maxRSS / 1024;
  const result: Record<string, number> = {
    n,
    pullMs: Math.round(pullMs),
    planMs: Math.round(planMs),
    planCpuMs: Math.round((planCpu.user + planCpu.system) / 1000),
    planPeakRssMiB: Math.round(planRss),
    operations: plan.operations,
  };
  if (!planOnly) {
    // Baseline: the same operations straight into a fresh copy of the target, no journal.
    t = performance.now();
    const run = await applyFile(project, plan.file, { force: true });
    const applyMs = performance.now() - t;
    t = performance.now();
    const undo = await rollbackRun(project, run.id);
    const undoRun = await applyFile(project, undo.file);
    const rollbackMs = performance.now() - t;
    const bare = await bareApply(dir, (await readPlan(plan.file)).operations);
    result.applyOpsPerSec = Math.round(run.done / (applyMs / 1000));
    result.rollbackOpsPerSec = Math.round(undoRun.done / (rollbackMs / 1000));
    result.bareTargetOpsPerSec = Math.round(bare);
  }
  await project.close();
  if (kept || process.env.BENCH_KEEP) process.stderr.write(`kept ${dir}\n`);
  else rmSync(dir, { recursive: true, force: true });
  result.peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Removes what earlier plans of a kept world stored (issued identifiers), so a re-plan does a first plan's work. */
function forgetIssuedIdentifiers(file: string): void {
  const db = new Database(file);
  try {
    db.prepare("DELETE FROM kv WHERE ns = 'uid' OR ns LIKE 'uid.%'").run();
  } finally {
    db.close();
  }
}

/** Writes the configuration, mapping, source CSV and LDIF target of an N-person world into `dir` and pulls it; returns the pull time. */
async function makeWorld(dir: string, n: number): Promise<number> {
  const demo = demoFiles((ref) => anchorFor(ref, "voorbeeld.nl"));
  const mapping = demo["mapping.yaml"].replace(/uid: "[^"]*"/, 'uid: "p{{ number }}@{{ vars.realm }}"');
  writeFileSync(path.join(dir, "mapping.yaml"), mapping);
  writeFileSync(
    path.join(dir, "overstap.yaml"),
    demo["overstap.yaml"].replace(/ {2}personeel:[\s\S]*?groups: \{ column: Team, kind: team \}\n/, ""),
  );
  const rows = ["Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;Groep;BRIN;Vestiging;E-mail"];
  for (let i = 0; i < n; i++) {
    const { brin } = DEMO_SCHOOLS[i % 2] as (typeof DEMO_SCHOOLS)[number];
    rows.push(
      `${i};${GIVEN[i % GIVEN.length]};;${SURNAMES[(i >> 3) % SURNAMES.length]};groep ${Math.floor(i / 40)};${brin};00;p${i}@voorbeeld.nl`,
    );
  }
  writeFileSync(path.join(dir, "leerlingen.csv"), `${rows.join("\n")}\n`);
  const entries = [
    "version: 1\n\n",
    ldifEntry("dc=voorbeeld,dc=nl", {
      objectClass: ["dcObject", "organization"],
      dc: ["voorbeeld"],
      o: ["Voorbeeld"],
    }),
    ldifEntry("ou=people,dc=voorbeeld,dc=nl", { objectClass: ["organizationalUnit"], ou: ["people"] }),
    ldifEntry("ou=groups,dc=voorbeeld,dc=nl", { objectClass: ["organizationalUnit"], ou: ["groups"] }),
  ];
  for (let i = 0; i < n; i += 2)
    entries.push(personEntry(i, i % 20 === 0 ? `old${i}@voorbeeld.nl` : `p${i}@voorbeeld.nl`));
  writeFileSync(path.join(dir, "directory.ldif"), entries.join(""));

  const project = await openProject(path.join(dir, "overstap.yaml"));
  try {
    const t = performance.now();
    const { pullSources } = await import("../../src/app/pull.js");
    await pullSources(project);
    return performance.now() - t;
  } finally {
    await project.close();
  }
}

/** Operations per second of the LDIF target alone (no journal, no executor), on a copy of the start state. */
async function bareApply(dir: string, operations: Operation[]): Promise<number> {
  const copy = path.join(dir, "bare.ldif");
  copyFileSync(path.join(dir, "directory.ldif"), copy);
  const target = await openLdifTarget(
    { type: "ldif", file: copy, personClasses: ["inetOrgPerson"], groupClasses: ["groupOfNames"] },
    { name: "bare", baseDir: dir },
  );
  const t = performance.now();
  for (let i = 0; i < operations.length; i++) {
    await target.apply(operations[i] as Operation);
    if (i % 200 === 199) await target.flush?.();
  }
  await target.flush?.();
  const ms = performance.now() - t;
  await target.close();
  return operations.length / (ms / 1000);
}

await main();
