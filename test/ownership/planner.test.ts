/**
 * Issue 14, findings 1 and 2: the planner never changes what Overstap does not own without
 * consent. A hand-made group matched by name is protected by default; a hand-made account
 * matched by key or by mail is an adoption, marked on every operation and refused by apply
 * without consent; `protect:` rules keep objects out even with consent.
 */
import { describe, expect, it } from "vitest";
import { isOverstapError } from "../../src/errors.js";
import { applyPlan } from "../../src/execute/apply.js";
import type { TargetEntry } from "../../src/model/target-entry.js";
import { ownGroups } from "../support/owned.js";
import { configText, person, world } from "../support/spine.js";

const ADMINS = "cn=beheerders,ou=groups,dc=school,dc=nl";
const admins: TargetEntry = {
  key: ADMINS,
  type: "group",
  attrs: {
    objectClass: ["groupOfNames"],
    cn: ["beheerders"],
    member: ["uid=it.admin,ou=people,dc=school,dc=nl"],
  },
};
const itAdmin: TargetEntry = {
  key: "uid=p.puk,ou=people,dc=school,dc=nl",
  type: "person",
  attrs: {
    objectClass: ["inetOrgPerson"],
    uid: ["p.puk"],
    cn: ["IT beheer"],
    sn: ["Beheer"],
    mail: ["it@school.nl"],
  },
};

/** Applies `plan` in world `w` (stage order not checked: each test plans one stage). */
const applyIn = (
  w: Awaited<ReturnType<typeof world>>,
  plan: Awaited<ReturnType<Awaited<ReturnType<typeof world>>["plan"]>>,
  consent: { acceptAdoptions?: boolean } = {},
) => applyPlan({ plan, config: w.config, store: w.store, target: w.target, force: true, ...consent });

const pupilInAdmins = () =>
  world({
    persons: [person("1", "Piet", "Puk", { groups: ["g1"] })],
    groups: [{ source: "las", id: "g1", name: "beheerders", kind: "class", members: ["1"] }],
    target: [admins],
  });

describe("ownership: groups", () => {
  it("never adds a pupil to a hand-made group of the same name; the group is reported as protected", async () => {
    const w = await pupilInAdmins();
    const plan = await w.plan();
    expect(plan.operations.filter((op) => op.key === ADMINS)).toEqual([]);
    expect(plan.review).toEqual([
      expect.objectContaining({
        record: "las:g1",
        rule: "protected",
        severity: "error",
        candidates: [ADMINS],
      }),
    ]);
  });

  it("with protect.unmanagedGroups off, the hand-made group is an adoption on every view and apply needs consent", async () => {
    const w = await world({
      persons: [person("1", "Piet", "Puk", { groups: ["g1"] })],
      groups: [{ source: "las", id: "g1", name: "beheerders", kind: "class", members: ["1"] }],
      target: [admins],
      config: configText("protect: { unmanagedGroups: false }"),
    });
    const plan = await w.plan();
    const groupOps = plan.operations.filter((op) => op.key === ADMINS);
    expect(groupOps.map((op) => [op.kind, op.adopt])).toEqual([["add-members", true]]);
    expect(plan.header.summary.adoptions).toBe(1);
    expect(plan.review.map((r) => r.rule)).toEqual(["adoption"]);
    const refused = await applyIn(w, plan).catch((e) => e);
    expect(isOverstapError(refused, "SAFETY_ADOPTION")).toBe(true);
    expect(w.target.entries().find((e) => e.key === ADMINS)).toEqual(admins);
    const run = await applyIn(w, plan, { acceptAdoptions: true });
    expect(run.status).toBe("completed");
    // Adopted once, the group is Overstap's: the next plan has nothing to adopt.
    const next = await w.plan();
    expect(next.header.summary.adoptions).toBe(0);
  });

  it("a group a recorded run created is managed: its members change without an adoption", async () => {
    const w = await pupilInAdmins();
    await ownGroups(w.store, ADMINS);
    const plan = await w.plan();
    expect(plan.operations.filter((op) => op.key === ADMINS).map((op) => [op.kind, op.adopt])).toEqual([
      ["add-members", undefined],
    ]);
    expect(plan.review).toEqual([]);
  });
});

describe("ownership: accounts", () => {
  it("an unanchored entry at the person's key is adopted, never silently rewritten", async () => {
    const w = await world({
      persons: [person("1", "Piet", "Puk", { mail: "piet@school.nl" })],
      target: [itAdmin],
    });
    const plan = await w.plan();
    const ops = plan.operations.filter((op) => op.key === itAdmin.key);
    expect(ops.map((op) => [op.kind, op.adopt])).toEqual([["update", true]]);
    expect(plan.header.summary.adoptions).toBe(1);
    expect(plan.review).toEqual([
      expect.objectContaining({ record: "las:1", rule: "adoption", field: "key", candidates: [itAdmin.key] }),
    ]);
    const refused = await applyIn(w, plan).catch((e) => e);
    expect(isOverstapError(refused, "SAFETY_ADOPTION")).toBe(true);
    expect(w.target.entries()).toEqual([itAdmin]);
  });

  it("an unanchored entry matched by mail is adopted, and a stage with allow: [adopt] is consent", async () => {
    const other = {
      ...itAdmin,
      key: "uid=it.admin,ou=people,dc=school,dc=nl",
      attrs: { ...itAdmin.attrs, uid: ["it.admin"], mail: ["piet@school.nl"] },
    };
    const w = await world({
      persons: [person("1", "Piet", "Puk", { mail: "piet@school.nl" })],
      target: [other],
      config: configText("correlation: { keys: [{ attribute: mail, confidence: 0.9 }] }").replace(
        "{ name: all, select: { all: true } }",
        "{ name: all, select: { all: true }, allow: [create, update, disable, enable, add-members, adopt] }",
      ),
    });
    const plan = await w.plan();
    expect(plan.operations.map((op) => [op.kind, op.key, op.adopt])).toEqual([["update", other.key, true]]);
    expect(plan.review).toEqual([expect.objectContaining({ rule: "adoption", field: "mail" })]);
    const run = await applyIn(w, plan);
    expect(run.status).toBe("completed");
  });

  it("a protected account is never changed, even with consent", async () => {
    const w = await world({
      persons: [person("1", "Piet", "Puk", { mail: "piet@school.nl" })],
      target: [itAdmin],
      config: configText(`protect: { objects: [{ attribute: cn, value: "it BEHEER" }] }`),
    });
    const plan = await w.plan();
    expect(plan.operations).toEqual([]);
    expect(plan.review).toEqual([
      expect.objectContaining({
        record: "las:1",
        rule: "protected",
        reason: expect.stringContaining("cn=it BEHEER"),
      }),
    ]);
  });

  it("a protected subtree keeps its accounts out of disables", async () => {
    const gone: TargetEntry = {
      key: "uid=g.gone,ou=people,dc=school,dc=nl",
      type: "person",
      attrs: {
        objectClass: ["inetOrgPerson"],
        uid: ["g.gone"],
        cn: ["G"],
        sn: ["G"],
        eduPersonUniqueId: ["x@school.nl"],
      },
    };
    const w = await world({
      persons: [person("1", "Piet", "Puk")],
      target: [gone],
      config: configText(`protect: { objects: [{ subtree: "OU=People, dc=school,dc=nl" }] }`),
    });
    const plan = await w.plan();
    expect(plan.operations.filter((op) => op.kind === "disable")).toEqual([]);
    expect(plan.review).toEqual([expect.objectContaining({ record: gone.key, rule: "protected" })]);
  });
});
