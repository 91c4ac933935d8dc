/**
 * The LDAP target against OpenLDAP's own tools, on one throwaway slapd, per size N:
 * - create: a plan of N creates (made from a config, a JSON source and a mapping, as
 *   `overstap plan` makes it) applied with `applyPlan` (journal in SQLite), vs `ldapadd -f`
 *   of the same entries as LDIF (in a sibling OU, so both start from an empty subtree); also
 *   with the plan file's reading and verification (`readPlan`) timed, as `overstap apply` does
 *   it and as `ldapadd`'s time includes parsing its LDIF;
 * - rollback of that run: `planRollback` plus applying the rollback plan (N deletes);
 * - read: `read()` of the N applied entries vs `ldapsearch -E pr=1000/noprompt` of them.
 * Ratios are connector / OpenLDAP tool throughput: ≥ 1 is at least as fast. Each step also
 * reports wall and CPU seconds of node, of the tool and of slapd (/proc), and a CPU ratio (the
 * tool's plus its slapd's CPU / node's plus its slapd's): on a shared machine that one varies
 * less than wall time.
 * Run directly (`npx tsx scripts/bench/ldap.ts [N …]`, default 10000 100000) or call {@link benchLdap}.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { planStage } from "../../src/app/plan-stage.js";
import { openProject } from "../../src/app/project.js";
import { pullSources } from "../../src/app/pull.js";
import { applyPlan } from "../../src/execute/apply.js";
import { planRollback } from "../../src/execute/rollback.js";
import type { TargetConnector } from "../../src/model/connector.js";
import type { Operation } from "../../src/model/operation.js";
import type { TargetEntry } from "../../src/model/target-entry.js";
import { readPlan, writePlan } from "../../src/plan/plan-file.js";
import { type Slapd, startSlapd } from "../../test/support/slapd.js";

const run = promisify(execFile);
const BIG = { maxBuffer: 1 << 30 };
/**
 * The executor's concurrency and batch size in the bench config (overstap.yaml `execution:`): a
 * bulk load's settings. The executor journals the next batch while the requests of the batches
 * before are in flight; 128 requests in flight give slapd more work than a commit of 250 begin
 * records takes, and slapd reads more requests per wake-up (its CPU per entry drops). With 64
 * in flight and batches of 500, 10k creates took 3.0–3.3 s wall where these took 2.0–2.9 s
 * (interleaved runs, load 4); batches of 5000 left slapd idle for most of each commit.
 */
const EXECUTION = { concurrency: 128, batchSize: 250 };

const GIVEN = ["Zoë", "Daan", "Ødegård", "Thi", "Emma", "Sem"];
const SURNAMES = ["Çelik", "Nguyễn", "de Vries", "Jansen", "Bakker"];

const MAPPING = (ou: string) => `
version: 1
person:
  key: "uid={{ attrs.uid | dn }},${ou}"
  attributes:
    objectClass: [inetOrgPerson, eduPerson, nlEduPerson]
    uid: "p{{ number }}@example.nl"
    givenName: "{{ givenName }}"
    sn: "{{ surname }}"
    cn: "{{ givenName }} {{ surname }}"
    mail: "p{{ number }}@example.nl"
    employeeNumber: "{{ number }}"
    eduPersonAffiliation: "{{ roles }}"
    nlEduPersonHomeOrganizationId: "11ZZ03"
    nlEduPersonHomeOrganization: "Testschool"
`;

function configText(slapd: Slapd, people: string, groups: string): string {
  return `
institution: { name: Testschool, realm: example.nl }
profile: entree
sources:
  las: { type: json, file: people.jsonl }
target:
  type: ldap
  url: ${slapd.url}
  baseDn: ${slapd.baseDn}
  peopleBase: ${people}
  groupsBase: ${groups}
  bindDn: ${slapd.bindDn}
  bindPassword: { file: ${slapd.passwordFile} }
mapping: mapping.yaml
state: { sqlite: state.db }
stages:
  - { name: all, select: { all: true } }
execution: { concurrency: ${EXECUTION.concurrency}, batchSize: ${EXECUTION.batchSize} }
`;
}

function peopleJsonl(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    lines.push(
      JSON.stringify({
        kind: "person",
        id: String(i),
        givenName: GIVEN[i % GIVEN.length],
        surname: SURNAMES[(i >> 2) % SURNAMES.length],
        number: String(100_000 + i),
        roles: ["student"],
      }),
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The plan's creates as LDIF (every value base64, so the bytes are exactly the plan's), under `ou`. */
function ldif(ops: Operation[], from: string, to: string): string {
  const out: string[] = [];
  for (const op of ops) {
    if (op.kind !== "create" || !op.key.endsWith(from))
      throw new Error(`not a create under ${from}: ${op.key}`);
    out.push(`dn:: ${Buffer.from(op.key.slice(0, -from.length) + to).toString("base64")}`);
    for (const [k, vs] of Object.entries(op.attrs ?? {}))
      for (const v of vs) out.push(`${k}:: ${Buffer.from(v).toString("base64")}`);
    out.push("");
  }
  return out.join("\n");
}

/** The target with the wall time spent in `get` (the executor's before-images) and `apply` summed up. */
function timedTarget(target: TargetConnector): {
  target: TargetConnector;
  spent: { get: number; apply: number };
} {
  const spent = { get: 0, apply: 0 };
  const timedCall =
    <A extends unknown[], R>(name: keyof typeof spent, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const t0 = performance.now();
      try {
        return await fn(...args);
      } finally {
        spent[name] += performance.now() - t0;
      }
    };
  return {
    spent,
    target: {
      name: target.name,
      read: (options) => target.read(options),
      get: timedCall("get", (key: string, type: TargetEntry["type"]) => target.get(key, type)),
      apply: timedCall("apply", (op: Operation) => target.apply(op)),
      close: () => target.close(),
    },
  };
}

/** Clock ticks per second of /proc/PID/stat times (USER_HZ, 100 on Linux). */
const TICKS = 100;

/** User + system CPU seconds of `pid` (utime, stime) or of this process's waited-for children (cutime, cstime). */
async function procCpu(pid: number | "self", children = false): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const at = children ? 13 : 11;
  return (Number(fields[at]) + Number(fields[at + 1])) / TICKS;
}

/** Wall seconds and CPU seconds of this process, of its children (the OpenLDAP tools) and of slapd. */
interface Timing {
  wall: number;
  cpu: number;
  tool: number;
  slapd: number;
}

async function timed<T>(slapdPid: number, fn: () => Promise<T>): Promise<[T, Timing]> {
  const cpu0 = process.cpuUsage();
  const [tool0, slapd0] = [await procCpu("self", true), await procCpu(slapdPid)];
  const t0 = performance.now();
  const value = await fn();
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return [
    value,
    {
      wall,
      cpu: (cpu.user + cpu.system) / 1e6,
      tool: (await procCpu("self", true)) - tool0,
      slapd: (await procCpu(slapdPid)) - slapd0,
    },
  ];
}

/** The timing's wall and CPU seconds as table rows `LABEL wall s`, `LABEL CPU s (node)`, …; zero CPU rows are left out. */
function timingRows(label: string, t: Timing): Record<string, number> {
  const rows: Record<string, number> = { [`${label} wall s`]: t.wall, [`${label} CPU s (node)`]: t.cpu };
  if (t.tool > 0) rows[`${label} CPU s (OpenLDAP tool)`] = t.tool;
  rows[`${label} CPU s (slapd)`] = t.slapd;
  for (const [k, v] of Object.entries(rows)) rows[k] = Number(v.toFixed(2));
  return rows;
}

const perSecond = (n: number, t: Timing) => Math.round(n / t.wall);
const ratio = (tool: Timing, ours: Timing) => Number((tool.wall / ours.wall).toFixed(2));
/** CPU seconds the OpenLDAP tool and slapd spent / those node and slapd spent: ≥ 1 is as frugal. */
const cpuRatio = (tool: Timing, ours: Timing) =>
  Number(((tool.tool + tool.slapd) / (ours.cpu + ours.slapd)).toFixed(2));

/**
 * Measures, per size N, on one slapd: entries per second for `ldapadd -f` and for applying a
 * plan of N creates (journal on), the rollback of that run, `ldapsearch -E pr=1000/noprompt` and
 * `read()`, with the ratios (connector / tool), plus the machine's cores and load.
 * @example const r = await benchLdap([10_000]); r["create ratio 10000"]
 */
export async function benchLdap(sizes: number[]): Promise<Record<string, number>> {
  const slapd = await startSlapd();
  const slapdPid = Number(await readFile(path.join(slapd.dir, "slapd.pid"), "utf8"));
  const auth = ["-x", "-H", slapd.url, "-D", slapd.bindDn, "-y", slapd.passwordFile];
  const result: Record<string, number> = {
    cores: os.availableParallelism(),
    "load average at start": Math.round((os.loadavg()[0] ?? 0) * 10) / 10,
    "execution.concurrency": EXECUTION.concurrency,
    "execution.batchSize": EXECUTION.batchSize,
  };
  try {
    for (const n of sizes) {
      const dir = await mkdtemp(path.join(os.tmpdir(), "overstap-ldap-bench-"));
      const [tool, people, groups] = ["tool", "apply", "groups"].map(
        (ou) => `ou=${ou}${n},${slapd.baseDn}`,
      ) as [string, string, string];
      await writeFile(
        path.join(dir, "ous.ldif"),
        [tool, people, groups]
          .map((dn) => `dn: ${dn}\nobjectClass: organizationalUnit\nou: ${dn.slice(3, dn.indexOf(","))}\n`)
          .join("\n"),
      );
      await run("ldapadd", [...auth, "-f", path.join(dir, "ous.ldif")]);
      await writeFile(path.join(dir, "overstap.yaml"), configText(slapd, people, groups));
      await writeFile(path.join(dir, "mapping.yaml"), MAPPING(people));
      await writeFile(path.join(dir, "people.jsonl"), peopleJsonl(n));

      const project = await openProject(path.join(dir, "overstap.yaml"));
      try {
        await pullSources(project);
        const saved = await planStage(project, "all", path.join(dir, "all.plan"));
        const [plan, planRead] = await timed(slapdPid, () => readPlan(saved.file));
        if (plan.operations.length !== n)
          throw new Error(`planned ${plan.operations.length} operations, expected ${n}`);
        await writeFile(path.join(dir, "tool.ldif"), ldif(plan.operations, people, tool));

        const [, toolAdd] = await timed(slapdPid, () =>
          run("ldapadd", [...auth, "-f", path.join(dir, "tool.ldif")], BIG),
        );
        const target = await project.target();
        const { config, hash } = project.loaded;
        const probe = timedTarget(target);
        const [applied, apply] = await timed(slapdPid, () =>
          applyPlan({ plan, config, store: project.store, target: probe.target, force: true }),
        );
        if (applied.status !== "completed" || applied.done !== n)
          throw new Error(`apply: ${JSON.stringify(applied)}`);

        const [, toolRead] = await timed(slapdPid, () =>
          run(
            "ldapsearch",
            [...auth, "-LLL", "-E", "pr=1000/noprompt", "-b", people, "(objectClass=inetOrgPerson)"],
            BIG,
          ),
        );
        const [count, read] = await timed(slapdPid, async () => {
          let c = 0;
          for await (const _ of target.read()) c++;
          return c;
        });
        if (count !== n) throw new Error(`read ${count} entries, expected ${n}`);

        const [undone, rollback] = await timed(slapdPid, async () => {
          const back = await planRollback({
            runId: applied.id,
            config,
            configHash: hash,
            store: project.store,
            target,
          });
          await writePlan(path.join(dir, "rollback.plan"), back);
          return applyPlan({
            plan: await readPlan(path.join(dir, "rollback.plan")),
            config,
            store: project.store,
            target,
            allowDeletes: true,
            force: true,
          });
        });
        if (undone.status !== "completed" || undone.done !== n)
          throw new Error(`rollback: ${JSON.stringify(undone)}`);

        result[`ldapadd ${n} per s`] = perSecond(n, toolAdd);
        result[`apply ${n} per s`] = perSecond(n, apply);
        result[`create ratio ${n}`] = ratio(toolAdd, apply);
        result[`create CPU ratio ${n}`] = cpuRatio(toolAdd, apply);
        const readAndApply = {
          wall: planRead.wall + apply.wall,
          cpu: planRead.cpu + apply.cpu,
          tool: 0,
          slapd: planRead.slapd + apply.slapd,
        };
        result[`create ratio ${n}, reading the plan included`] = ratio(toolAdd, readAndApply);
        result[`readPlan ${n} wall s`] = Number(planRead.wall.toFixed(2));
        result[`apply ${n}: % of time in before-image reads`] = Math.round(
          (100 * probe.spent.get) / 1000 / apply.wall,
        );
        Object.assign(result, timingRows(`ldapadd ${n}`, toolAdd));
        Object.assign(result, timingRows(`apply ${n}`, apply));
        result[`rollback ${n} per s`] = perSecond(n, rollback);
        Object.assign(result, timingRows(`rollback ${n}`, rollback));
        result[`ldapsearch ${n} per s`] = perSecond(n, toolRead);
        result[`read ${n} per s`] = perSecond(n, read);
        result[`read ratio ${n}`] = ratio(toolRead, read);
        result[`read CPU ratio ${n}`] = cpuRatio(toolRead, read);
        Object.assign(result, timingRows(`ldapsearch ${n}`, toolRead));
        Object.assign(result, timingRows(`read ${n}`, read));
      } finally {
        await project.close();
        await rm(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await slapd.stop();
  }
  result["load average at end"] = Math.round((os.loadavg()[0] ?? 0) * 10) / 10;
  return result;
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const sizes = process.argv.slice(2).map(Number);
  console.table(await benchLdap(sizes.length ? sizes : [10_000, 100_000]));
}
