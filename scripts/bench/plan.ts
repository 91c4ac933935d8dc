/**
 * Planner benchmark, one size per process so peak RSS is that size's own:
 *   node --import tsx scripts/bench/plan.ts 100000
 * Builds a snapshot of N synthetic persons (N/40 classes), an LDIF target holding half of
 * them (a tenth of those with an outdated mail), plans the whole population with the demo's
 * Entree mapping and profile, then applies the plan to the LDIF target and rolls it back.
 * Prints one JSON line.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openProject } from "../../src/cli/project.js";
import { planStage } from "../../src/cli/plan.js";
import { applyFile } from "../../src/cli/apply.js";
import { rollbackRun } from "../../src/cli/rollback.js";
import { demoFiles } from "../../src/demo/data.js";
import { anchorFor } from "../../src/plan/planner.js";
import { escapeDnValue } from "../../src/model/dn.js";
import type { Operation } from "../../src/model/operation.js";
import { openLdifTarget } from "../../connectors/ldif/target.js";

const GIVEN = ["Daan", "Emma", "Sem", "Julia", "Lucas", "Mila", "Finn", "Tess", "Levi", "Sophie", "Noah", "Zoë"];
const SURNAMES = ["Jansen", "Vries", "Berg", "Bakker", "Dijk", "Visser", "Smit", "Meijer", "Boer", "Mulder", "Çelik", "Hart"];
const SCHOOLS = [
  ["11ZZ", "Basisschool De Regenboog"],
  ["20DP", "Basisschool Het Kompas"],
] as const;

function ldifEntry(i: number, mail: string): string {
  const uid = `p${i}@voorbeeld`;
  const [brin, name] = SCHOOLS[i % 2] as readonly [string, string];
  const given = GIVEN[i % GIVEN.length] as string;
  const sn = SURNAMES[(i >> 3) % SURNAMES.length] as string;
  const b64 = (v: string) => (/^[\x20-\x7e]*$/.test(v) ? ` ${v}` : `: ${Buffer.from(v).toString("base64")}`);
  return [
    `dn: uid=${escapeDnValue(uid)},ou=people,dc=voorbeeld,dc=nl`,
    "objectClass: inetOrgPerson",
    "objectClass: eduPerson",
    `cn:${b64(`${given} ${sn}`)}`,
    `displayName:${b64(`${given} ${sn}`)}`,
    "eduPersonAffiliation: student",
    `eduPersonUniqueId: ${anchorFor(`leerlingen:${i}`, "voorbeeld.nl")}`,
    `employeeNumber: ${i}`,
    `givenName:${b64(given)}`,
    `mail: ${mail}`,
    `nlEduPersonHomeOrganization: ${name}`,
    `nlEduPersonHomeOrganizationBranchId: ${brin}00`,
    `nlEduPersonHomeOrganizationId: ${brin}`,
    `sn:${b64(sn)}`,
    `uid: ${uid}`,
  ].join("\n");
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 10_000);
  const planOnly = process.argv.includes("--plan-only");
  const dir = mkdtempSync(path.join(tmpdir(), "overstap-bench-"));
  const demo = demoFiles((ref) => anchorFor(ref, "voorbeeld.nl"));
  const mapping = demo["mapping.yaml"].replace(
    /uid: "[^"]*"/,
    'uid: "p{{ number }}@{{ vars.realm }}"',
  );
  writeFileSync(path.join(dir, "mapping.yaml"), mapping);
  writeFileSync(
    path.join(dir, "overstap.yaml"),
    demo["overstap.yaml"]
      .replace(/  personeel:[\s\S]*?groups: \{ column: Team, kind: team \}\n/, "")
      .replace("maxDisables: { count: 5, percent: 10 }", "maxDisables: { count: 100, percent: 10 }")
      .replace("    groups: { column: Groep, kind: class }\n", `    groups: { column: Groep, kind: class }\n`),
  );
  const rows = ["Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;Groep;BRIN;Vestiging;E-mail"];
  for (let i = 0; i < n; i++) {
    const [brin] = SCHOOLS[i % 2] as readonly [string, string];
    rows.push(`${i};${GIVEN[i % GIVEN.length]};;${SURNAMES[(i >> 3) % SURNAMES.length]};groep ${Math.floor(i / 40)};${brin};00;p${i}@voorbeeld.nl`);
  }
  writeFileSync(path.join(dir, "leerlingen.csv"), `${rows.join("\n")}\n`);
  const entries = ["version: 1", "dn: dc=voorbeeld,dc=nl\nobjectClass: dcObject\nobjectClass: organization\ndc: voorbeeld\no: Voorbeeld", "dn: ou=people,dc=voorbeeld,dc=nl\nobjectClass: organizationalUnit\nou: people", "dn: ou=groups,dc=voorbeeld,dc=nl\nobjectClass: organizationalUnit\nou: groups"];
  for (let i = 0; i < n; i += 2) entries.push(ldifEntry(i, i % 20 === 0 ? `old${i}@voorbeeld.nl` : `p${i}@voorbeeld.nl`));
  writeFileSync(path.join(dir, "directory.ldif"), `${entries.join("\n\n")}\n`);

  const project = await openProject(path.join(dir, "overstap.yaml"));
  let t = performance.now();
  const { pullSources } = await import("../../src/cli/pull.js");
  await pullSources(project);
  const pullMs = performance.now() - t;
  t = performance.now();
  const plan = await planStage(project, "bestuur", path.join(dir, "bench.plan"));
  const planMs = performance.now() - t;
  const planRss = process.resourceUsage().maxRSS / 1024;
  const result: Record<string, number> = {
    n,
    pullMs: Math.round(pullMs),
    planMs: Math.round(planMs),
    planPeakRssMiB: Math.round(planRss),
    operations: plan.operations.length,
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
    const bare = await bareApply(dir, plan.operations);
    result.applyOpsPerSec = Math.round(run.done / (applyMs / 1000));
    result.rollbackOpsPerSec = Math.round(undoRun.done / (rollbackMs / 1000));
    result.bareTargetOpsPerSec = Math.round(bare);
  }
  await project.close();
  if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
  else process.stderr.write(`kept ${dir}\n`);
  result.peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Operations per second of the LDIF target alone (no journal, no executor), on a copy of the start state. */
async function bareApply(dir: string, operations: Operation[]): Promise<number> {
  const copy = path.join(dir, "bare.ldif");
  copyFileSync(path.join(dir, "directory.ldif"), copy);
  const target = await openLdifTarget({ type: "ldif", file: copy, personClasses: ["inetOrgPerson"], groupClasses: ["groupOfNames"] }, { name: "bare", baseDir: dir });
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
