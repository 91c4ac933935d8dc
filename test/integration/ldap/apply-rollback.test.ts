import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyPlan } from "../../../src/execute/apply.js";
import { planRollback } from "../../../src/execute/rollback.js";
import type { PersonInput } from "../../../src/model/person.js";
import { readPlan, writePlan } from "../../../src/plan/plan-file.js";
import { anchorFor } from "../../../src/plan/planner.js";
import { type Slapd, startSlapd } from "../../support/slapd.js";
import { exportLdif, ldapWorld, seed } from "./world.js";

let slapd: Slapd;
beforeAll(async () => {
  slapd = await startSlapd();
});
afterAll(async () => {
  await slapd?.stop();
});

const person = (
  id: string,
  givenName: string,
  surname: string,
  extra: Partial<PersonInput> = {},
): PersonInput => ({
  source: "las",
  id,
  givenName,
  surname,
  roles: ["student"],
  ...extra,
});

function existing(uid: string, ref: string, extra: string[]): string {
  return [
    `dn: uid=${uid},ou=people,dc=example,dc=nl`,
    "objectClass: inetOrgPerson",
    "objectClass: eduPerson",
    `uid: ${uid}`,
    `eduPersonUniqueId: ${anchorFor(ref, "example.nl")}`,
    ...extra,
    "",
  ].join("\n");
}

describe("plan → apply → rollback on slapd", () => {
  it("leaves an ldapsearch export byte-identical after apply and rollback", async () => {
    await seed(
      slapd,
      [
        existing("p.puk", "las:1", [
          "givenName: Piet",
          "sn: Puk",
          "cn: Piet Puk",
          "eduPersonAffiliation: student",
          "mail: old@example.nl",
        ]),
        existing("g.gone", "las:9", [
          // the planner's disable writes schacUserStatus/schacExpiryDate without adding their classes
          "objectClass: schacUserEntitlements",
          "objectClass: schacEntryMetadata",
          "givenName: G",
          "sn: Gone",
          "cn: G Gone",
          "eduPersonAffiliation: student",
        ]),
      ].join("\n"),
    );
    const before = await exportLdif(slapd);
    const w = await ldapWorld(
      slapd,
      [
        person("1", "Piet", "Puk", { mail: "Piet@Example.nl" }),
        person("2", "Zoë", "Çelik"),
        person("3", "Jan", "de Vries", { roles: ["employee"] }),
        person("4", "Thi", "Nguyễn"),
      ],
      [{ source: "las", id: "g1", name: "5A, (groep) *", kind: "class", members: ["1", "2", "4"] } as never],
    );
    try {
      const plan = await w.plan();
      expect(plan.header.summary.person).toMatchObject({ create: 3, update: 1, disable: 1 });
      expect(plan.header.summary.group).toEqual({ create: 1 });
      const run = await applyPlan({ plan, config: w.config, store: w.store, target: w.target, force: true });
      expect(run).toMatchObject({ status: "completed", failed: 0 });
      const applied = await exportLdif(slapd);
      expect(applied).not.toBe(before);
      expect(applied).toContain("cn:: ");
      expect((await w.plan(`${w.dir}/again.plan`)).operations).toHaveLength(0);

      const back = await planRollback({
        runId: run.id,
        config: w.config,
        configHash: w.configHash,
        store: w.store,
        target: w.target,
      });
      await writePlan(`${w.dir}/rollback.plan`, back);
      const undo = await applyPlan({
        plan: await readPlan(`${w.dir}/rollback.plan`),
        config: w.config,
        store: w.store,
        target: w.target,
        allowDeletes: true,
        force: true,
      });
      expect(undo).toMatchObject({ status: "completed", failed: 0 });
      expect(await exportLdif(slapd)).toBe(before);
    } finally {
      await w.target.close();
      await w.store.close();
    }
  });
});
