import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyPlan } from "../../../src/execute/apply.js";
import { normalizeDn } from "../../../src/model/dn.js";
import type { Run } from "../../../src/model/journal.js";
import type { PersonInput } from "../../../src/model/person.js";
import { anchorFor } from "../../../src/plan/keys.js";
import { ownGroups } from "../../support/owned.js";
import { rollBack } from "../../support/rollback.js";
import { type Slapd, startSlapd } from "../../support/slapd.js";
import { exportLdif, ldapWorld, MAPPING, modify, seed } from "./world.js";

/** A fresh server per test: the planner reads the whole directory, so worlds must not meet. */
let slapd: Slapd;
beforeEach(async () => {
  slapd = await startSlapd();
});
afterEach(async () => {
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
  brin: "11AA",
  ...extra,
});

/** Persons live in an OU per school, so a person who changes school is renamed (moved). */
const MAPPING_BY_SCHOOL = MAPPING.replace(
  'key: "uid={{ attrs.uid | dn }},ou=people,dc=example,dc=nl"',
  'key: "uid={{ attrs.uid | dn }},ou={{ brin | dn }},ou=people,dc=example,dc=nl"',
);

const dn = (uid: string, school = "11AA") => `uid=${uid},ou=${school},ou=people,dc=example,dc=nl`;

function existing(cn: string, uid: string, ref: string, extra: string[], school = "11AA"): string {
  return [
    `dn: ${dn(uid, school)}`,
    "objectClass: inetOrgPerson",
    "objectClass: eduPerson",
    `uid: ${uid}`,
    `cn: ${cn}`,
    `eduPersonUniqueId: ${anchorFor(ref, "example.nl")}`,
    ...extra,
    "",
  ].join("\n");
}

/** The entries of an export, keyed by their `dn:` line. */
function blocks(ldif: string): Map<string, string> {
  return new Map(
    ldif
      .split(/\n\n+/)
      .filter((b) => b.trim() !== "")
      .map((b) => [b.split("\n")[0] as string, b.trim()]),
  );
}

/**
 * A directory with: a person whose mail changes, one who left the source (disabled), one
 * who moved to another school (renamed into that school's OU, with a new mail), a class whose membership
 * changes, and two persons and a class that are new. Entries are plain inetOrgPerson +
 * eduPerson: the planner adds the SCHAC classes a disable needs.
 */
async function world() {
  await seed(
    slapd,
    [
      ...["11AA", "22BB"].map(
        (ou) => `dn: ou=${ou},ou=people,dc=example,dc=nl\nobjectClass: organizationalUnit\nou: ${ou}\n`,
      ),
      existing("Piet Puk", "p.puk", "las:1", [
        "givenName: Piet",
        "sn: Puk",
        "eduPersonAffiliation: student",
        "mail: old@example.nl",
      ]),
      existing("G Gone", "g.gone", "las:9", ["givenName: G", "sn: Gone", "eduPersonAffiliation: student"]),
      existing("Jan de Vries", "j.devries", "las:3", [
        "givenName: Jan",
        "sn: de Vries",
        "eduPersonAffiliation: employee",
      ]),
      [
        "dn: cn=5A,ou=groups,dc=example,dc=nl",
        "objectClass: groupOfNames",
        "cn: 5A",
        `member: ${dn("p.puk")}`,
        `member: ${dn("g.gone")}`,
        "",
      ].join("\n"),
    ].join("\n"),
  );
  const w = await ldapWorld(
    slapd,
    [
      person("1", "Piet", "Puk", { mail: "Piet@Example.nl" }),
      person("2", "Zoë", "Çelik"),
      person("3", "Jan", "de Vries", { roles: ["employee"], brin: "22BB", mail: "jan@example.nl" }),
      person("4", "Thi", "Nguyễn"),
    ],
    [
      { source: "las", id: "g1", name: "5A", kind: "class", members: ["1", "2", "4"] } as never,
      { source: "las", id: "g2", name: "6B, (groep) *", kind: "class", members: ["2", "3"] } as never,
    ],
    MAPPING_BY_SCHOOL,
  );
  // The class was made by an earlier Overstap run, so its members are Overstap's to manage.
  await ownGroups(w.store, "cn=5A,ou=groups,dc=example,dc=nl");
  return w;
}

async function rollback(w: Awaited<ReturnType<typeof world>>, run: Run) {
  const { plan, run: undo } = await rollBack(w, run.id, { allowDeletes: true });
  return { plan, undo };
}

describe("plan → apply → rollback on slapd", () => {
  it("leaves an ldapsearch export byte-identical after apply and rollback (creates, update, rename, disable, membership)", async () => {
    const w = await world();
    try {
      const before = await exportLdif(slapd);
      const plan = await w.plan();
      expect(plan.header.summary.person).toEqual({ create: 2, update: 1, rename: 1, disable: 1 });
      expect(plan.operations.find((op) => op.kind === "rename")).toMatchObject({
        key: dn("j.devries"),
        newKey: dn("j.devries", "22BB"),
      });
      expect(plan.header.summary.group).toEqual({ create: 1, "add-members": 1, "remove-members": 1 });
      const run = await applyPlan({
        plan,
        config: w.config,
        store: w.store,
        target: w.target,
        force: true,
        acceptIdentityChanges: true,
      });
      expect(run).toMatchObject({ status: "completed", failed: 0 });
      const applied = await exportLdif(slapd);
      expect(applied).not.toBe(before);
      expect(applied).toContain("cn:: ");
      const gone = await w.target.get(dn("g.gone"), "person");
      expect(gone?.attrs.objectClass).toEqual(
        expect.arrayContaining(["inetOrgPerson", "eduPerson", "schacUserEntitlements", "schacEntryMetadata"]),
      );
      expect(gone?.attrs.schacUserStatus).toEqual([w.config.disable.value]);
      expect(await w.target.get(dn("j.devries"), "person")).toBeNull();
      const moved = await w.target.get(dn("j.devries", "22BB"), "person");
      expect(moved?.attrs).toMatchObject({ uid: ["j.devries"], mail: ["jan@example.nl"] });
      const group = await w.target.get("cn=5A,ou=groups,dc=example,dc=nl", "group");
      expect((group?.attrs.member ?? []).map(normalizeDn).sort()).toEqual(
        [dn("p.puk"), dn("z.celik"), dn("t.nguyen")].map(normalizeDn).sort(),
      );
      expect((await w.plan(`${w.dir}/again.plan`)).operations).toHaveLength(0);

      const { undo } = await rollback(w, run);
      expect(undo).toMatchObject({ status: "completed", failed: 0 });
      expect(await exportLdif(slapd)).toBe(before);
    } finally {
      await w.close();
    }
  });

  it("refuses a plan (PLAN_STALE) when an entry changed between plan and apply, and writes nothing", async () => {
    const w = await world();
    try {
      const plan = await w.plan();
      await modify(slapd, `dn: ${dn("p.puk")}\nchangetype: modify\nreplace: cn\ncn: Piet Puk-Jansen\n`);
      const changed = await exportLdif(slapd);
      await expect(
        applyPlan({
          plan,
          config: w.config,
          store: w.store,
          target: w.target,
          force: true,
          acceptIdentityChanges: true,
        }),
      ).rejects.toMatchObject({ code: "PLAN_STALE", message: expect.stringContaining("p.puk") });
      expect(await exportLdif(slapd)).toBe(changed);
    } finally {
      await w.close();
    }
  });

  it("leaves an entry changed between apply and rollback alone and reports it as rollback-drift", async () => {
    const w = await world();
    try {
      const before = blocks(await exportLdif(slapd));
      const run = await applyPlan({
        plan: await w.plan(),
        config: w.config,
        store: w.store,
        target: w.target,
        force: true,
        acceptIdentityChanges: true,
      });
      expect(run).toMatchObject({ status: "completed", failed: 0 });
      await modify(
        slapd,
        `dn: ${dn("p.puk")}\nchangetype: modify\nreplace: mail\nmail: someone-else@example.nl\n`,
      );
      const drifted = blocks(await exportLdif(slapd)).get(`dn: ${dn("p.puk")}`);

      const { plan, undo } = await rollback(w, run);
      expect(plan.review).toEqual([
        expect.objectContaining({ rule: "rollback-drift", record: dn("p.puk"), severity: "error" }),
      ]);
      expect(plan.operations.some((op) => op.key === dn("p.puk"))).toBe(false);
      expect(undo).toMatchObject({ status: "completed", failed: 0 });

      const after = blocks(await exportLdif(slapd));
      expect(after.get(`dn: ${dn("p.puk")}`)).toBe(drifted);
      expect(drifted).toContain("mail: someone-else@example.nl");
      after.delete(`dn: ${dn("p.puk")}`);
      before.delete(`dn: ${dn("p.puk")}`);
      expect(after).toEqual(before);
    } finally {
      await w.close();
    }
  });
});
