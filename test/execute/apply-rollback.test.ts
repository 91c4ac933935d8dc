import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { applyPlan } from "../../src/execute/apply.js";
import type { TargetEntry } from "../../src/model/target-entry.js";
import { anchorFor } from "../../src/plan/keys.js";
import { readPlan } from "../../src/plan/plan-file.js";
import { rollBack } from "../support/rollback.js";
import { configText, person, world } from "../support/spine.js";

const base = "ou=people,dc=school,dc=nl";
const existing = (uid: string, ref: string | null, attrs: Record<string, string[]> = {}): TargetEntry => ({
  key: `uid=${uid},${base}`,
  type: "person",
  attrs: {
    objectClass: ["inetOrgPerson", "eduPerson"],
    uid: [uid],
    ...(ref ? { eduPersonUniqueId: [anchorFor(ref, "school.nl")] } : {}),
    ...attrs,
  },
});

const sorted = (entries: TargetEntry[]) => [...entries].sort((a, b) => a.key.localeCompare(b.key));

describe("plan → apply → rollback", () => {
  it("creates, updates, disables and restores the target exactly", async () => {
    const original = [
      existing("p.puk", "las:1", {
        givenName: ["Piet"],
        sn: ["Puk"],
        cn: ["Piet Puk"],
        eduPersonAffiliation: ["student"],
        mail: ["old@school.nl"],
      }),
      existing("g.gone", "las:9", {
        givenName: ["G"],
        sn: ["Gone"],
        cn: ["G Gone"],
        eduPersonAffiliation: ["student"],
      }),
    ];
    const w = await world({
      persons: [
        person("1", "Piet", "Puk", { mail: "Piet@School.nl" }),
        person("2", "Zoë", "Çelik"),
        person("3", "Jan", "de Vries", { roles: ["employee"] }),
      ],
      groups: [{ source: "las", id: "g1", name: "5A", kind: "class", members: ["1", "2"] }],
      target: original,
      config: configText("safety: { person: { maxDisables: { count: 5, percent: 50 } } }"),
    });
    const plan = await w.plan();
    expect(plan.header.summary.person).toEqual({ create: 2, update: 1, disable: 1 });
    expect(plan.header.summary.group).toEqual({ create: 1 });
    const update = plan.operations.find((o) => o.kind === "update");
    expect(update?.changes).toEqual([{ attr: "mail", replace: ["piet@school.nl"], from: ["old@school.nl"] }]);

    const run = await applyPlan({ plan, config: w.config, store: w.store, target: w.target, force: true });
    expect(run).toMatchObject({ status: "completed", done: 5, failed: 0 });
    const keys = w.target.entries().map((e) => e.key);
    expect(keys).toContain(`uid=z.celik,${base}`);
    expect(keys).toContain("cn=5A,ou=groups,dc=school,dc=nl");

    const again = await w.plan("all", `${w.dir}/again.plan`);
    expect(again.operations).toHaveLength(0);

    const { run: rollbackRun } = await rollBack(w, run.id, { planForce: true });
    expect(rollbackRun.status).toBe("completed");
    expect(sorted(w.target.entries())).toEqual(sorted(original));
  });

  it("refuses a stale plan and writes nothing", async () => {
    const w = await world({
      persons: [person("1", "Piet", "Puk")],
      target: [existing("p.puk", "las:1", { sn: ["Old"] })],
    });
    const plan = await w.plan();
    await w.target.apply({
      seq: 0,
      kind: "update",
      type: "person",
      key: `uid=p.puk,${base}`,
      changes: [{ attr: "sn", replace: ["Someone"] }],
      fingerprint: null,
    });
    const before = JSON.stringify(w.target.entries());
    await expect(
      applyPlan({ plan, config: w.config, store: w.store, target: w.target, force: true }),
    ).rejects.toMatchObject({ code: "PLAN_STALE" });
    expect(JSON.stringify(w.target.entries())).toBe(before);
  });

  it("refuses a plan whose file was edited", async () => {
    const w = await world({ persons: [person("1", "Piet", "Puk")] });
    const plan = await w.plan();
    writeFileSync(plan.file, readFileSync(plan.file, "utf8").replace("p.puk", "x.hack"));
    await expect(readPlan(plan.file)).rejects.toMatchObject({ code: "PLAN_TAMPERED" });
  });

  it("stops mass disables with the disable threshold", async () => {
    const target = Array.from({ length: 20 }, (_, i) => existing(`u${i}`, `las:gone${i}`));
    const w = await world({ persons: [person("1", "Piet", "Puk")], target });
    const plan = await w.plan();
    expect(plan.header.summary.person.disable).toBe(20);
    await expect(
      applyPlan({ plan, config: w.config, store: w.store, target: w.target, force: true }),
    ).rejects.toMatchObject({
      code: "SAFETY_THRESHOLD",
      message: expect.stringContaining("20 person disables (100.0% of 20 in the target)"),
    });
  });

  it("keeps an issued uid when the source name changes", async () => {
    const w = await world({
      persons: [person("1", "Piet", "Puk")],
      target: [
        existing("piet", "las:1", {
          givenName: ["Piet"],
          sn: ["Puk"],
          cn: ["Piet Puk"],
          eduPersonAffiliation: ["student"],
        }),
      ],
    });
    const plan = await w.plan();
    expect(plan.operations).toEqual([]);
  });

  it("flags an identity-key change and needs consent", async () => {
    const w = await world({
      persons: [person("1", "Piet", "Puk")],
      target: [
        existing("piet", "las:1", {
          givenName: ["Piet"],
          sn: ["Puk"],
          cn: ["Piet Puk"],
          eduPersonAffiliation: ["student"],
        }),
      ],
      config: configText("identifiers: []"),
    });
    const plan = await w.plan();
    const rename = plan.operations.find((o) => o.kind === "rename");
    expect(rename?.identityChanges).toEqual(["uid"]);
    await expect(
      applyPlan({ plan, config: w.config, store: w.store, target: w.target, force: true }),
    ).rejects.toMatchObject({ code: "SAFETY_IDENTITY_CHANGE" });
    const run = await applyPlan({
      plan,
      config: w.config,
      store: w.store,
      target: w.target,
      acceptIdentityChanges: true,
      force: true,
    });
    expect(run.status).toBe("completed");
  });

  it("needs --allow-deletes for deletes", async () => {
    const gone = existing("old", "las:gone", {
      schacUserStatus: ["urn:schac:userStatus:nl:overstap:disabled"],
      schacExpiryDate: ["20200101000000Z"],
    });
    const many = Array.from({ length: 200 }, (_, i) => existing(`keep${i}`, `las:k${i}`));
    const w = await world({
      persons: [person("1", "Piet", "Puk")],
      target: [gone, ...many],
      config: configText().replace(
        "{ name: all, select: { all: true } }",
        "{ name: all, select: { all: true }, allow: [create, update, delete] }",
      ),
    });
    const plan = await w.plan();
    expect(plan.header.summary.person.delete).toBe(1);
    await expect(
      applyPlan({ plan, config: w.config, store: w.store, target: w.target, force: true }),
    ).rejects.toMatchObject({ code: "SAFETY_DELETES" });
  });

  it("refuses a later stage before the earlier one ran", async () => {
    const w = await world({ persons: [person("1", "Piet", "Puk")] });
    const plan = await w.plan("all");
    await expect(
      applyPlan({ plan, config: w.config, store: w.store, target: w.target }),
    ).rejects.toMatchObject({ code: "STAGE_ORDER" });
  });
});
