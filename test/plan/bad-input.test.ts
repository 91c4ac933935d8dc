/**
 * Bad input through the real flow (a CSV and a JSON Lines source → `overstap pull` → `overstap
 * plan`): every kind of bad record ends up in the review list, named by `source:id` or
 * `file:line` and with the field, never crashes the run and never produces an operation, while
 * the valid record next to it is planned. Names with DN special characters are valid: they are
 * planned, and written escaped where they become a DN.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseLdifText } from "../../connectors/ldif/parse.js";
import { applyFile } from "../../src/app/apply-plan.js";
import { planStage } from "../../src/app/plan-stage.js";
import { openProject } from "../../src/app/project.js";
import { DEMO_GIVEN_NAMES, DEMO_SURNAMES } from "../../src/demo/data.js";
import { escapeDnValue, parseDn } from "../../src/model/dn.js";
import type { Operation } from "../../src/model/operation.js";
import { type LoadedPlan, readPlan } from "../../src/plan/plan-file.js";
import { overstap } from "../support/cli.js";
import { BAD_INPUT_CASES, type BadInputCase, type CaseRecord } from "./bad-input-cases.js";
import { BadInputWorld, type Placed } from "./bad-input-world.js";

/** Names for the valid neighbours: the demo's, but never the world's default surname (Jansen). */
const GIVEN = DEMO_GIVEN_NAMES;
const SURNAMES = DEMO_SURNAMES.map(([, surname]) => surname).filter((surname) => surname !== "Jansen");

/** Names with every DN special character: valid, so planned and escaped in DNs. */
const SPECIAL_SURNAME = `O'Neil, Jr. + <B> ; "C" \\ D = E`;
const SPECIAL_GIVEN = "#Anne";
const SPECIAL_GROUPS = [`Groep 5A, "De Regenboog" + <x>; y = z \\ w`, "#5B"];

interface PlacedCase {
  c: BadInputCase;
  records: { spec: CaseRecord; placed: Placed }[];
  neighbour: Placed;
}

let dir = "";
let config = "";
let plan: LoadedPlan;
let opsText: string[] = [];
const cases: PlacedCase[] = [];
let special: { csv: Placed; json: Placed; groups: Placed[] };

/** `overstap plan` of the board's stage into `file`, with `extra` options. */
const planTo = (file: string, ...extra: string[]) =>
  overstap(config, "--quiet", "plan", "--stage", "bestuur", ...extra, "--out", file);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "overstap-bad-input-"));
  config = path.join(dir, "overstap.yaml");
  const world = new BadInputWorld();
  BAD_INPUT_CASES.forEach((c, i) => {
    const id = (n: number) => `c${String(i).padStart(2, "0")}r${n}`;
    const records = c.records(id).map((spec, n) => ({ spec, placed: world.add(spec, id(n)) }));
    const first = records[0]?.spec.source ?? "json";
    const name = {
      given: GIVEN[i % GIVEN.length] as string,
      surname: `${SURNAMES[i % SURNAMES.length]}${"e".repeat(Math.floor(i / SURNAMES.length))}`,
    };
    const neighbour =
      first === "csv"
        ? world.add({ source: "csv", cells: { Roepnaam: name.given, Achternaam: name.surname } }, id(9))
        : world.add({ source: "json", fields: { givenName: name.given, surname: name.surname } }, id(9));
    cases.push({ c, records, neighbour });
  });
  special = {
    csv: world.add(
      { source: "csv", cells: { Roepnaam: SPECIAL_GIVEN, Achternaam: SPECIAL_SURNAME } },
      "namen-csv",
    ),
    json: world.add(
      { source: "json", fields: { givenName: SPECIAL_GIVEN, surname: SPECIAL_SURNAME, tussenvoegsel: "d'" } },
      "namen-json",
    ),
    groups: SPECIAL_GROUPS.map((name, n) =>
      world.add(
        {
          source: "json",
          raw: JSON.stringify({ kind: "group", id: `namen-groep-${n}`, name, members: ["namen-json"] }),
        },
        `namen-groep-${n}`,
      ),
    ),
  };
  world.write(dir);

  const pulled = await overstap(config, "pull");
  expect(pulled.code, pulled.stderr).toBe(0);
  const planned = await planTo(path.join(dir, "bestuur.plan"));
  expect(planned.code, planned.stderr).toBe(0);
  plan = await readPlan(path.join(dir, "bestuur.plan"));
  opsText = plan.operations.map((op) => JSON.stringify(op));
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The review items naming a record: by `source:id`, or by its file and line. */
function reviewOf(placed: Placed, by: "ref" | "line") {
  if (by === "ref") return plan.review.filter((r) => r.record === placed.ref);
  return plan.review.filter((r) => r.record === placed.at || r.record.startsWith(`${placed.at} `));
}

const opsFor = (ref: string | undefined): Operation[] =>
  plan.operations.filter((op) => ref !== undefined && op.ref === ref);

describe("bad input records (pull → plan)", () => {
  it(`covers at least 30 kinds of bad input`, () => {
    expect(BAD_INPUT_CASES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(BAD_INPUT_CASES.map((c) => c.kind)).size).toBe(BAD_INPUT_CASES.length);
  });

  for (const [i, c] of BAD_INPUT_CASES.entries()) {
    const test = c.bug ? it.fails : it;
    test(`${c.kind}${c.bug ? ` [bug: ${c.bug}]` : ""}`, () => {
      const { records, neighbour } = cases[i] as PlacedCase;
      const severity = c.severity ?? "error";
      for (const { spec, placed } of records) {
        if (spec.field === undefined) continue;
        const by = spec.by ?? (placed.ref ? "ref" : "line");
        const name = by === "ref" ? placed.ref : placed.at;
        const items = reviewOf(placed, by);
        const fields: (string | undefined)[] =
          spec.field === null ? [undefined] : Array.isArray(spec.field) ? spec.field : [spec.field];
        const matching = items.filter((r) => r.severity === severity && fields.includes(r.field));
        expect(
          matching,
          `${name}: a review item (${severity}) naming field ${fields.join(" or ")}; got ${JSON.stringify(items)}`,
        ).not.toEqual([]);
        for (const item of matching) expect(item.reason.length).toBeGreaterThan(10);
        if (severity === "error") {
          if (by === "ref") expect(opsFor(placed.ref), `${name}: no operation`).toEqual([]);
          const marker = spec.marker ?? placed.id;
          if (marker)
            expect(
              opsText.filter((t) => new RegExp(`[":]${marker}"`).test(t)),
              `${name}: nothing of it in any operation`,
            ).toEqual([]);
        } else {
          expect(opsFor(placed.ref).length, `${name}: a warning only, so still planned`).toBeGreaterThan(0);
        }
      }
      expect(
        opsFor(neighbour.ref).map((op) => op.kind),
        `the valid neighbour ${neighbour.ref} is planned`,
      ).toEqual(["create"]);
    });
  }

  it("the CLI's pull and plan finish without an error and the plan counts the review items", () => {
    expect(plan.header.summary.review.error).toBeGreaterThanOrEqual(
      BAD_INPUT_CASES.filter((c) => (c.severity ?? "error") === "error").length,
    );
    expect(plan.review.every((r) => r.record.length > 0 && r.reason.length > 0)).toBe(true);
  });

  it("review reasons never repeat the bad values", () => {
    const reasons = plan.review.map((r) => r.reason).join("\n");
    for (const bad of [
      "\u0000",
      "\u001b",
      "\u007f",
      "\u0085",
      "\u009b",
      "\u202e",
      "\u2066",
      "123456782",
      "jan,sen",
      "misschien",
    ]) {
      expect(reasons.includes(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});

describe("names with DN special characters are valid", () => {
  it("plans them unchanged, with a sanitized uid", () => {
    for (const placed of [special.csv, special.json]) {
      const [create] = opsFor(placed.ref);
      expect(create?.kind, placed.ref).toBe("create");
      expect(create?.attrs?.sn).toEqual([SPECIAL_SURNAME]);
      expect(create?.attrs?.givenName).toEqual([SPECIAL_GIVEN]);
      expect(create?.attrs?.uid?.[0]).toMatch(/^a\.(d)?oneiljrbcde\d*@voorbeeld$/);
      expect(plan.review.filter((r) => r.record === placed.ref)).toEqual([]);
    }
  });

  it("gives the same plan when two worker threads map the persons", async () => {
    const file = path.join(dir, "threads.plan");
    const planned = await planTo(file, "--threads", "2");
    expect(planned.code, planned.stderr).toBe(0);
    const threaded = await readPlan(file);
    expect(threaded.operations.map((op) => JSON.stringify(op))).toEqual(opsText);
    expect(threaded.review).toEqual(plan.review);
    expect(threaded.header.summary).toEqual(plan.header.summary);
    expect(readdirSync(dir).filter((f) => f.includes("threads.plan"))).toEqual(["threads.plan"]);
  });

  it("escapes group names in the DN, applies them and reads them back unchanged", async () => {
    const creates = special.groups.map((g) => opsFor(g.ref)[0]);
    expect(creates.map((op) => op?.key)).toEqual(
      SPECIAL_GROUPS.map((name) => `cn=${escapeDnValue(name)},ou=groups,dc=voorbeeld,dc=nl`),
    );
    expect(creates.map((op) => parseDn(op?.key as string)[0]?.[0]?.value)).toEqual(SPECIAL_GROUPS);

    const project = await openProject(config);
    try {
      const run = await applyFile(project, plan.file);
      expect(run.status).toBe("completed");
    } finally {
      await project.close();
    }
    const entries = parseLdifText(readFileSync(path.join(dir, "directory.ldif"), "utf8"));
    for (const name of SPECIAL_GROUPS) {
      const entry = entries.find((e) => e.kind === "content" && parseDn(e.dn)[0]?.[0]?.value === name);
      expect(entry && "attrs" in entry ? entry.attrs.cn : undefined, name).toEqual([name]);
    }
    const person = entries.find(
      (e) => e.kind === "content" && "attrs" in e && e.attrs.employeeNumber?.[0] === "namen-json",
    );
    expect(person && "attrs" in person ? person.attrs.sn : undefined).toEqual([SPECIAL_SURNAME]);

    // Read back through the target, every escaped DN and value matches what was planned: nothing left to do.
    const again = await openProject(config);
    try {
      const next = await planStage(again, "bestuur", path.join(dir, "again.plan"));
      expect((await readPlan(next.file)).operations.map((op) => `${op.kind} ${op.key}`)).toEqual([]);
    } finally {
      await again.close();
    }
  });
});
