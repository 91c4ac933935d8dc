import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Operation } from "../../src/model/operation.js";
import type { PlanHeader } from "../../src/model/plan.js";
import type { ReviewItem } from "../../src/model/review.js";
import { renderHtml } from "../../src/report/html/render.js";
import { buildPlanReport } from "../../src/report/model.js";

/** The attributes of the Entree profile, for readiness in synthetic reports. */
export const ENTREE_PROFILE = {
  name: "entree",
  required: [
    "uid",
    "employeeNumber",
    "givenName",
    "sn",
    "eduPersonAffiliation",
    "nlEduPersonHomeOrganizationId",
    "nlEduPersonHomeOrganization",
  ],
  optional: ["nlEduPersonHomeOrganizationBranchId", "eckId", "nlEduPersonTussenvoegsels", "mail"],
};

export interface SyntheticPlan {
  header: PlanHeader;
  operations: Operation[];
  review: ReviewItem[];
}

const GIVEN = ["Anna", "Daan", "Sem", "Lotte", "Noah", "Emma", "Bram", "Fenna", "Jesse", "Mila"];
const SURNAMES = ["Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer"];
const RULES = ["missing-required", "invalid-brin", "ambiguous-match", "duplicate-login", "eckid-format"];

/**
 * A deterministic plan of `n` operations spread over schools and roles, as a large school
 * board would produce: mostly creates, some updates, disables, identity changes and a review
 * list of about 1%. `hostile` names carry `<script>`, quotes and spreadsheet formulas.
 */
export function syntheticPlan(n: number, options: { hostile?: boolean } = {}): SyntheticPlan {
  let seed = 42;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const schools = Math.max(3, Math.round(n / 2500));
  const brin = (i: number): string =>
    `${String(10 + (i % 89)).padStart(2, "0")}${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + ((i * 7) % 26))}`;
  const operations: Operation[] = [];
  for (let seq = 0; seq < n; seq++) {
    const r = rand();
    const school = brin(Math.floor(rand() * schools));
    const role = rand() < 0.88 ? "student" : rand() < 0.8 ? "employee" : "staff";
    const given = GIVEN[seq % GIVEN.length] ?? "Anna";
    const sn = SURNAMES[seq % SURNAMES.length] ?? "Jansen";
    const display = options.hostile && seq < 4 ? hostileName(seq) : `${given} ${sn}`;
    const uid = `u${seq}@voorbeeld`;
    const key = `uid=u${seq},ou=${school},ou=people,dc=voorbeeld,dc=nl`;
    if (r < 0.02) {
      operations.push({
        seq,
        kind: rand() < 0.5 ? "create" : "add-members",
        type: "group",
        key: `cn=klas-${seq},ou=groups,dc=voorbeeld,dc=nl`,
        ...(r < 0.01 ? { attrs: { cn: [`klas-${seq}`] } } : { changes: [{ attr: "member", add: [key] }] }),
        fingerprint: null,
      });
    } else if (r < 0.72 || (options.hostile && seq < 4)) {
      const attrs: Record<string, string[]> = {
        uid: [uid],
        cn: [display],
        givenName: [given],
        sn: [sn],
        eduPersonAffiliation: [role],
        nlEduPersonHomeOrganizationId: [school],
        nlEduPersonHomeOrganization: [`School ${school}`],
        employeeNumber: [String(100000 + seq)],
      };
      if (rand() < 0.6) attrs.mail = [`u${seq}@voorbeeld.nl`];
      if (role === "student" && rand() < 0.94) attrs.eckId = [`https://ketenid.nl/201703/${"ab".repeat(64)}`];
      if (rand() < 0.3) attrs.nlEduPersonTussenvoegsels = ["van"];
      if (rand() < 0.02) delete attrs.employeeNumber;
      operations.push({ seq, kind: "create", type: "person", key, attrs, fingerprint: null });
    } else if (r < 0.92) {
      const identity = rand() < 0.01;
      operations.push({
        seq,
        kind: "update",
        type: "person",
        key,
        changes: [
          { attr: "eduPersonAffiliation", replace: [role], from: [role] },
          { attr: "nlEduPersonHomeOrganizationId", replace: [school], from: [school] },
          identity
            ? { attr: "uid", replace: [`n${seq}@voorbeeld`], from: [uid] }
            : { attr: "mail", replace: [`u${seq}@voorbeeld.nl`] },
        ],
        ...(identity ? { identityChanges: ["uid"] } : {}),
        fingerprint: "fp",
      });
    } else if (r < 0.995) {
      operations.push({
        seq,
        kind: "disable",
        type: "person",
        key,
        changes: [
          { attr: "eduPersonAffiliation", replace: [role], from: [role] },
          { attr: "nlEduPersonHomeOrganizationId", replace: [school], from: [school] },
          { attr: "schacUserStatus", replace: ["urn:schac:userStatus:nl:voorbeeld:disabled"] },
        ],
        purgeAfter: "2026-08-01T00:00:00.000Z",
        fingerprint: "fp",
      });
    } else {
      operations.push({ seq, kind: "delete", type: "person", key, fingerprint: "fp" });
    }
  }
  const review: ReviewItem[] = [];
  for (let i = 0; i < Math.max(3, Math.round(n / 100)); i++) {
    const rule = RULES[i % RULES.length] ?? "missing-required";
    review.push({
      record: options.hostile && i < 3 ? hostileName(i + 1) : `las:${200000 + i}`,
      field: rule === "invalid-brin" ? "brin" : rule === "missing-required" ? "employeeNumber" : "login",
      rule,
      reason:
        options.hostile && i < 3 ? `name ${hostileName(i)} is invalid` : `record ${200000 + i}: ${rule}`,
      severity: i % 4 === 3 ? "warning" : "error",
      ...(rule === "ambiguous-match" ? { candidates: ["uid=a,dc=x", "uid=b,dc=x"] } : {}),
    });
  }
  const count = (type: string, kind: string) =>
    operations.filter((o) => o.type === type && o.kind === kind).length;
  const header: PlanHeader = {
    format: "overstap-plan",
    version: 1,
    id: "plan-20260301-pilot-7f3a",
    createdAt: "2026-03-01T13:05:00.000Z",
    stage: "pilot",
    stageIndex: 0,
    kind: "migrate",
    institution: options.hostile ? `Stichting "<b>Voorbeeld</b>" & Co` : "Stichting Voorbeeld Onderwijs",
    profile: "entree",
    target: "ldaps://idp.voorbeeld.nl",
    inputs: {
      snapshot: "sha256:1f2e…",
      mapping: "sha256:9a8b…",
      config: "sha256:77c1…",
      target: "sha256:03d4…",
    },
    summary: {
      person: {
        create: count("person", "create"),
        update: count("person", "update"),
        disable: count("person", "disable"),
        delete: count("person", "delete"),
      },
      group: { create: count("group", "create"), "add-members": count("group", "add-members") },
      identityChanges: operations.filter((o) => o.identityChanges?.length).length,
      adoptions: operations.filter((o) => o.adopt).length,
      review: {
        error: review.filter((r) => r.severity === "error").length,
        warning: review.filter((r) => r.severity === "warning").length,
      },
      unchanged: { person: Math.round(n * 0.1), group: 12 },
      population: { person: Math.round(n * 1.1), group: 40 },
      target: { person: Math.round(n * 0.4), group: 30 },
    },
  };
  return { header, operations, review };
}

function hostileName(i: number): string {
  return (
    ['<script>alert("x")</script>', `O'Brien "the <b>bold</b>"`, "=cmd|' /C calc'!A0", "@SUM(1+1) & -2"][
      i % 4
    ] ?? ""
  );
}

/** Evaluated in the page: milliseconds from navigation start to the end of the load event. */
export const NAVIGATION_MS =
  "(() => { const n = performance.getEntriesByType('navigation')[0]; return n ? n.loadEventEnd - n.startTime : NaN; })()";

/**
 * Builds and renders the HTML report of a synthetic `n`-operation plan, loads it in Chromium
 * and measures the time until the page has loaded (navigation timing). Needs /usr/bin/chromium.
 */
export async function benchReport(n = 100_000): Promise<{
  bytes: number;
  renderMs: number;
  aggregateMs: number;
  aggregateCpuMs: number;
}> {
  const { launchChromium } = await import("../../test/report/chromium.js");
  const plan = syntheticPlan(n);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const report = buildPlanReport(plan.header, plan.operations, plan.review, { profile: ENTREE_PROFILE });
  const cpu = process.cpuUsage(cpu0);
  const aggregateMs = performance.now() - t0;
  const aggregateCpuMs = (cpu.user + cpu.system) / 1000;
  const dir = await mkdtemp(join(tmpdir(), "overstap-bench-"));
  const file = join(dir, "report.html");
  await writeFile(file, renderHtml(report, { lang: "nl" }), { mode: 0o600 });
  const bytes = (await stat(file)).size;
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    const renderMs = Number(await page.evaluate(NAVIGATION_MS));
    return { bytes, renderMs, aggregateMs, aggregateCpuMs };
  } finally {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = Number(process.argv[2] ?? 100_000);
  const result = await benchReport(n);
  console.log(
    `report bench: ${n} operations → aggregate ${result.aggregateMs.toFixed(0)} ms (CPU ${result.aggregateCpuMs.toFixed(0)} ms), HTML ${(result.bytes / 1024).toFixed(0)} KiB, Chromium load ${result.renderMs.toFixed(0)} ms`,
  );
}
