/**
 * `npm run bench`: every performance figure the issues ask for, each as a ratio against a
 * baseline measured in the same run, with the machine's core count and load. Benchmarks are
 * not tests: nothing here fails on a timing. `npm run bench -- --quick` uses smaller sizes;
 * `npm run bench -- plan ldap` runs only those sections.
 */
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { parallelSpeedup } from "./parallelism.js";

const run = promisify(execFile);
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args.filter((a) => !a.startsWith("--"));
const want = (name: string) => only.length === 0 || only.includes(name);
const here = path.dirname(new URL(import.meta.url).pathname);
const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ratio = (a: number, b: number) => (b > 0 ? `${fmt(a / b, 2)}×` : "n/a");
const line = (label: string, value: string) => console.log(`  ${label.padEnd(58)} ${value}`);

async function section(name: string, title: string, fn: () => Promise<void>): Promise<void> {
  if (!want(name)) return;
  console.log(`\n${title}`);
  const t = performance.now();
  try {
    await fn();
  } catch (err) {
    line("FAILED", err instanceof Error ? (err.message.split("\n")[0] ?? "") : String(err));
  }
  line("(section time)", `${fmt((performance.now() - t) / 1000, 1)} s`);
}

console.log(
  `Overstap benchmarks — ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(
      " ",
    )}, parallel speed-up of ${cpus().length} busy threads ${fmt(await parallelSpeedup(cpus().length), 2)}× (${cpus().length}× when every core is free)`,
);

await section(
  "plan",
  "Planner (issue 2): plan time and peak RSS, target holding half the persons; apply/rollback on the LDIF target",
  async () => {
    const sizes = quick ? [10_000] : [10_000, 100_000, 1_000_000];
    for (const n of sizes) {
      const planOnly = n > 100_000;
      // The world is made and pulled in one process, planned in another, as `overstap pull`
      // and `overstap plan` are. The planner runs with the Node options of the `overstap`
      // command (see its shebang): a 64 MiB young generation.
      const lastJson = (out: string) =>
        JSON.parse(out.trim().split("\n").pop() as string) as Record<string, unknown>;
      const world = lastJson(
        (
          await run(
            process.execPath,
            ["--import", "tsx", path.join(here, "plan.ts"), String(n), "--world-only"],
            {
              maxBuffer: 1 << 20,
              timeout: 3_600_000,
            },
          )
        ).stdout,
      );
      const dir = world.dir as string;
      const speedup = await parallelSpeedup(cpus().length);
      let stdout: string;
      try {
        ({ stdout } = await run(
          process.execPath,
          [
            "--max-semi-space-size=64",
            "--heap-growing-percent=30",
            "--expose-gc",
            "--import",
            "tsx",
            path.join(here, "plan.ts"),
            String(n),
            "--dir",
            dir,
            ...(planOnly ? ["--plan-only"] : []),
          ],
          { maxBuffer: 1 << 20, timeout: 3_600_000 },
        ));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const r = JSON.parse(stdout.trim().split("\n").pop() as string) as Record<string, number>;
      const goalMs = 60_000 * (n / 1_000_000);
      line(
        `${fmt(n)} persons: plan`,
        `${fmt(r.planMs as number)} ms (${ratio(r.planMs as number, goalMs)} of the 1M-in-60 s pace), ${fmt((r.planCpuMs as number) / 1000, 1)} CPU s, peak RSS ${fmt(r.planPeakRssMiB as number)} MiB, ${fmt(r.operations as number)} operations; parallel speed-up just before ${fmt(speedup, 2)}×`,
      );
      if (!planOnly) {
        line(
          `${fmt(n)} persons: apply (journal on) vs the bare LDIF target`,
          `${fmt(r.applyOpsPerSec as number)} vs ${fmt(r.bareTargetOpsPerSec as number)} ops/s = ${ratio(r.applyOpsPerSec as number, r.bareTargetOpsPerSec as number)}`,
        );
        line(
          `${fmt(n)} persons: rollback (journal on) vs the bare LDIF target`,
          `${fmt(r.rollbackOpsPerSec as number)} vs ${fmt(r.bareTargetOpsPerSec as number)} ops/s = ${ratio(r.rollbackOpsPerSec as number, r.bareTargetOpsPerSec as number)}`,
        );
      }
    }
  },
);

await section("profiles", "Mapping, profile validation, correlation (issue 4)", async () => {
  const n = quick ? 100_000 : 1_000_000;
  const { benchMapping } = await import("./mapping.js");
  const { benchProfiles } = await import("./profiles.js");
  const m = await benchMapping(n);
  line(`mapping, ${fmt(n)} persons (baseline)`, `${fmt(m.perSecond)} persons/s`);
  const p = await benchProfiles(n);
  for (const [k, v] of Object.entries(p))
    line(
      `${k}`,
      `${fmt(v)}${/PerSecond|perSecond/.test(k) ? ` (${ratio(m.perSecond, v)} the cost of mapping)` : ""}`,
    );
});

await section("ldif", "LDIF target (the demo's embedded target)", async () => {
  const { benchLdif } = await import("./ldif.js");
  for (const n of quick ? [20_000] : [20_000, 200_000]) {
    for (const [k, v] of Object.entries(await benchLdif(n))) line(`${fmt(n)} entries: ${k}`, fmt(v));
  }
});

await section("ldap", "LDAP target on a real slapd (issue 3): overstap vs ldapadd / ldapsearch", async () => {
  const { benchLdap } = await import("./ldap.js");
  for (const [k, v] of Object.entries(await benchLdap(quick ? [10_000] : [10_000, 100_000])))
    line(k, fmt(v, 2));
});

await section(
  "entra",
  "Entra ID pull from the Graph simulator at the large-tenant budget (issue 5)",
  async () => {
    const { benchEntra } = await import("./entra.js");
    const r = await benchEntra(quick ? { users: 10_000, groups: 500, memberships: 20_000 } : {});
    for (const [k, v] of Object.entries(r)) if (typeof v === "number") line(k, fmt(v, 2));
    line("pull time vs the budget's floor", ratio(r.seconds, r.floorSeconds));
  },
);

await section("eckid", "HPGN (issue 6): pool vs single thread, Kennisnet's scrypt parameters", async () => {
  const { benchEckid } = await import("./eckid.js");
  const r = await benchEckid(quick ? 8 : 40);
  line("workers / cores", `${r.workers} / ${r.cores}`);
  line(
    "single-threaded (baseline) vs pool, ms per hash",
    `${fmt(r.singleThreadedPerHashMs)} vs ${fmt(r.pooledPerHashMs)}`,
  );
  line("speed-up (goal ≥ 0.9 × cores)", `${fmt(r.speedup, 2)}× (goal ${fmt(0.9 * r.cores, 1)}×)`);
  line(
    "peak RSS (goal ≤ cores × 140 MiB + 200 MiB)",
    `${fmt(r.peakRssMiB)} MiB (goal ${fmt(r.cores * 140 + 200)} MiB)`,
  );
  line("CPU seconds per wall second the pool got", fmt(r.pooledCpuPerWall, 2));
});

await section("report", "Board report (issue 7): 100k-operation plan", async () => {
  const { benchReport } = await import("./report.js");
  const r = await benchReport(quick ? 20_000 : 100_000);
  line("HTML size (goal < 2 MB)", `${fmt(r.bytes / 1024)} KiB`);
  line("render in Chromium (goal < 3 s)", `${fmt(r.renderMs)} ms (${ratio(r.renderMs, 3000)} of the goal)`);
  line("aggregate", `${fmt(r.aggregateMs)} ms`);
});
