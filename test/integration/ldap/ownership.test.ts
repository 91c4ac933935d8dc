/**
 * Issue 14, findings 1 and 2 on a real slapd: a class named like a hand-made administrators'
 * group never makes a pupil a member of it, and a hand-made account at a pupil's key or with
 * the pupil's mail is not rewritten by an apply without consent.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isOverstapError } from "../../../src/errors.js";
import { applyPlan } from "../../../src/execute/apply.js";
import { type Slapd, startSlapd } from "../../support/slapd.js";
import { exportLdif, ldapWorld, seed } from "./world.js";

let slapd: Slapd;
beforeEach(async () => {
  slapd = await startSlapd();
});
afterEach(async () => {
  await slapd?.stop();
});

const ADMIN = "uid=it.admin,ou=people,dc=example,dc=nl";
const HAND_MADE = [
  `dn: ${ADMIN}\nobjectClass: inetOrgPerson\nuid: it.admin\ncn: IT Beheer\nsn: Beheer\nmail: piet@example.nl\n`,
  "dn: uid=z.celik,ou=people,dc=example,dc=nl\nobjectClass: inetOrgPerson\nuid: z.celik\ncn: Z\nsn: Z\nmail: z@thuis.nl\n",
  `dn: cn=beheerders,ou=groups,dc=example,dc=nl\nobjectClass: groupOfNames\ncn: beheerders\nmember: ${ADMIN}\n`,
].join("\n");

const pupil = (id: string, givenName: string, surname: string, mail?: string) => ({
  source: "las",
  id,
  givenName,
  surname,
  roles: ["student"],
  ...(mail ? { mail } : {}),
  groups: ["g1"],
});

describe("ownership on slapd", () => {
  it("leaves a hand-made administrators' group and hand-made accounts untouched without consent", async () => {
    await seed(slapd, HAND_MADE);
    const before = await exportLdif(slapd);
    const w = await ldapWorld(
      slapd,
      [pupil("1", "Piet", "Puk", "piet@example.nl"), pupil("2", "Zoë", "Çelik")],
      [{ source: "las", id: "g1", name: "beheerders", kind: "class", members: ["1", "2"] } as never],
    );
    try {
      const plan = await w.plan();
      expect(plan.operations.filter((op) => op.key.startsWith("cn=beheerders"))).toEqual([]);
      const adopted = plan.operations.filter((op) => op.adopt).map((op) => op.key);
      expect(adopted).toEqual(["uid=z.celik,ou=people,dc=example,dc=nl"]);
      expect(plan.review.map((r) => [r.record, r.rule]).sort()).toEqual([
        ["las:2", "adoption"],
        ["las:g1", "protected"],
      ]);
      const refused = await applyPlan({ plan, config: w.config, store: w.store, target: w.target }).catch(
        (e) => e,
      );
      expect(isOverstapError(refused, "SAFETY_ADOPTION")).toBe(true);
      expect(await exportLdif(slapd)).toBe(before);
    } finally {
      await w.close();
    }
  });
});
