/**
 * LDIF target benchmark, one size per process so peak RSS is that size's own:
 *   node --import tsx scripts/bench/ldif.ts 200000
 * Writes an LDIF export of N entries (persons of ~15 attributes, some base64-encoded, class
 * groups of 25 members and one group per school holding all its pupils), then measures the
 * target: open (parse + index), read() of everything, `get` of a tenth, N/10 creates and N/10
 * updates with a flush every 200 operations, close (canonical rewrite), reopen (of the file it
 * wrote itself) and closing again without changes.
 * Prints entries per second for each step and peak RSS.
 */
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { formatLdifRecord } from "../../connectors/ldif/format.js";
import { openLdifTarget } from "../../connectors/ldif/target.js";
import { DEMO_GIVEN_NAMES, DEMO_SCHOOLS } from "../../src/demo/data.js";
import type { Operation } from "../../src/model/operation.js";

const BASE = "dc=voorbeeld,dc=nl";
const PEOPLE = `ou=people,${BASE}`;
const GROUPS = `ou=groups,${BASE}`;
const CLASS_SIZE = 25;
const FLUSH_EVERY = 200;
const GIVEN = DEMO_GIVEN_NAMES.slice(0, 12);
const SURNAMES = ["Jansen", "de Vries", "van den Berg", "Bakker", "Çelik", "Visser", "Nguyễn", "Ødegård"];

function personDn(i: number): string {
  return `uid=p${i},${PEOPLE}`;
}

function personAttrs(i: number, mail = `p${i}@voorbeeld.nl`): Record<string, string[]> {
  const given = GIVEN[i % GIVEN.length] as string;
  const sn = SURNAMES[(i >> 3) % SURNAMES.length] as string;
  const { brin, name: school } = DEMO_SCHOOLS[i % 2] as (typeof DEMO_SCHOOLS)[number];
  return {
    objectClass: ["inetOrgPerson", "eduPerson", "nlEduPerson"],
    uid: [`p${i}`],
    cn: [`${given} ${sn}`],
    displayName: [`${given} ${sn}`],
    givenName: [given],
    sn: [sn],
    mail: [mail],
    employeeNumber: [String(100000 + i)],
    eduPersonAffiliation: i % 20 === 0 ? ["employee", "staff"] : ["student"],
    eduPersonPrincipalName: [`p${i}@voorbeeld.nl`],
    eduPersonUniqueId: [`${(i * 2654435761).toString(16).padStart(12, "0")}@voorbeeld.nl`],
    nlEduPersonHomeOrganization: [school],
    nlEduPersonHomeOrganizationId: [brin],
    nlEduPersonHomeOrganizationBranchId: [`${brin}00`],
    description: [`Leerling van ${school}, groep ${Math.floor(i / CLASS_SIZE)}`],
  };
}

const entryText = (dn: string, attrs: Record<string, string[]>) =>
  formatLdifRecord({ kind: "content", dn, attrs });

/** How many persons and groups make up `n` entries (3 containers, classes, 2 school groups). */
function sizes(n: number): { persons: number; classes: number } {
  const persons = Math.max(CLASS_SIZE, Math.floor(((n - 5) * CLASS_SIZE) / (CLASS_SIZE + 1)));
  return { persons, classes: Math.max(0, n - 5 - persons) };
}

/**
 * Writes an export of `n` entries to `file` in file order (containers, persons, groups),
 * streaming, so generating it costs little memory.
 * @example await writeLdifExport("/tmp/x.ldif", 20_000);
 */
export async function writeLdifExport(file: string, n: number): Promise<void> {
  const { persons, classes } = sizes(n);
  const out = createWriteStream(file, { mode: 0o600 });
  let batch = "version: 1\n\n";
  const push = async (text: string) => {
    batch += text;
    if (batch.length < 1 << 20) return;
    if (!out.write(batch)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
    batch = "";
  };
  await push(
    entryText(BASE, { objectClass: ["dcObject", "organization"], dc: ["voorbeeld"], o: ["Voorbeeld"] }),
  );
  await push(entryText(PEOPLE, { objectClass: ["organizationalUnit"], ou: ["people"] }));
  await push(entryText(GROUPS, { objectClass: ["organizationalUnit"], ou: ["groups"] }));
  for (let i = 0; i < persons; i++) await push(entryText(personDn(i), personAttrs(i)));
  for (let c = 0; c < classes; c++) {
    const members: string[] = [];
    for (let i = c * CLASS_SIZE; i < Math.min(persons, (c + 1) * CLASS_SIZE); i++) members.push(personDn(i));
    await push(
      entryText(`cn=groep ${c},${GROUPS}`, {
        objectClass: ["groupOfNames"],
        cn: [`groep ${c}`],
        member: members,
      }),
    );
  }
  for (const [s, { brin, name: school }] of DEMO_SCHOOLS.entries()) {
    const members: string[] = [];
    for (let i = s; i < persons; i += 2) members.push(personDn(i));
    await push(
      entryText(`cn=alle leerlingen ${brin},${GROUPS}`, {
        objectClass: ["groupOfNames"],
        cn: [`alle leerlingen ${brin}`],
        description: [`Alle leerlingen van ${school}`],
        member: members,
      }),
    );
  }
  await new Promise<void>((resolve, reject) => {
    out.once("error", reject);
    out.end(batch, () => resolve());
  });
}

/** Runs `fn`; returns its value, wall-clock seconds and CPU seconds (user + system) of this process. */
async function timed<T>(fn: () => Promise<T>): Promise<[T, number, number]> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const value = await fn();
  const cpu = process.cpuUsage(cpu0);
  return [value, (performance.now() - t0) / 1000, (cpu.user + cpu.system) / 1e6];
}

/**
 * Benchmarks the LDIF target on an export of `n` entries. Returns wall-clock and CPU seconds
 * and entries (or operations) per second for each step, the file size and peak RSS in MiB;
 * `onStep` hears of each step as it ends.
 * @example const r = await benchLdif(20_000); r["open/s"]
 */
export async function benchLdif(
  n: number,
  onStep: (name: string, result: Record<string, number>) => void = () => {},
): Promise<Record<string, number>> {
  const dir = await mkdtemp(path.join(tmpdir(), "overstap-bench-ldif-"));
  const file = path.join(dir, "directory.ldif");
  const config = {
    type: "ldif" as const,
    file,
    personClasses: ["inetOrgPerson"],
    groupClasses: ["groupOfNames"],
  };
  const where = { name: "target", baseDir: dir };
  const result: Record<string, number> = { n };
  const step = (name: string, count: number, seconds: number, cpuSeconds: number) => {
    result[`${name} s`] = Number(seconds.toFixed(3));
    result[`${name} cpu s`] = Number(cpuSeconds.toFixed(3));
    result[`${name}/s`] = Math.round(count / seconds);
    onStep(name, result);
  };
  try {
    await writeLdifExport(file, n);
    result["file MiB"] = Number(((await stat(file)).size / 2 ** 20).toFixed(1));
    const { persons } = sizes(n);

    const [target, openS, openCpu] = await timed(() => openLdifTarget(config, where));
    step("open", n, openS, openCpu);

    const [read, readS, readCpu] = await timed(async () => {
      let count = 0;
      for await (const _ of target.read()) count += 1;
      return count;
    });
    step("read", read, readS, readCpu);

    const gets = Math.floor(n / 10);
    const [, getS, getCpu] = await timed(async () => {
      for (let k = 0; k < gets; k++) {
        const i = (k * 7919) % persons;
        if (!(await target.get(`UID=p${i}, ou=People,${BASE}`, "person")))
          throw new Error(`get: person ${i} not found`);
      }
    });
    step("get", gets, getS, getCpu);

    const writes = Math.floor(n / 10);
    const [, applyS, applyCpu] = await timed(async () => {
      let seq = 0;
      for (let k = 0; k < writes; k++) {
        const fresh = persons + k;
        const create: Operation = {
          seq: seq++,
          kind: "create",
          type: "person",
          key: personDn(fresh),
          attrs: personAttrs(fresh),
          fingerprint: null,
        };
        const update: Operation = {
          seq: seq++,
          kind: "update",
          type: "person",
          key: personDn((k * 104729) % persons),
          changes: [{ attr: "mail", replace: [`nieuw${k}@voorbeeld.nl`] }],
          fingerprint: "bench",
        };
        for (const op of [create, update]) {
          await target.apply(op);
          if (op.seq % FLUSH_EVERY === FLUSH_EVERY - 1) await target.flush?.();
        }
      }
      await target.flush?.();
    });
    step("apply", 2 * writes, applyS, applyCpu);

    const total = n + writes;
    const [, closeS, closeCpu] = await timed(() => target.close());
    step("close", total, closeS, closeCpu);

    const [again, reopenS, reopenCpu] = await timed(() => openLdifTarget(config, where));
    step("reopen", total, reopenS, reopenCpu);
    const [, againS, againCpu] = await timed(() => again.close());
    step("close again", total, againS, againCpu);
    result["peak RSS MiB"] = Math.round(process.resourceUsage().maxRSS / 1024);
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = Number(process.argv[2] ?? 20_000);
  const r = await benchLdif(n, (name, x) => {
    const wall = String(x[`${name} s`]).padStart(8);
    const cpu = String(x[`${name} cpu s`]).padStart(8);
    console.log(`${name.padEnd(11)} ${wall} s  (cpu ${cpu} s)  ${String(x[`${name}/s`]).padStart(9)} /s`);
  });
  console.log(`file ${r["file MiB"]} MiB, peak RSS ${r["peak RSS MiB"]} MiB`);
  console.log(JSON.stringify(r));
}
