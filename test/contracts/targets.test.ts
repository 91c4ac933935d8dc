import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryTarget } from "../../connectors/ldif/memory.js";
import { openLdifTarget } from "../../connectors/ldif/target.js";
import type { TargetConnector } from "../../src/model/connector.js";
import type { Operation } from "../../src/model/operation.js";
import { targetFor } from "../connectors/ldap/helpers.js";
import { type Slapd, startSlapd } from "../support/slapd.js";
import { type ContractTarget, describeTargetContract, TARGET_CONTRACT } from "../support/target-contract.js";

const BASE = "dc=example,dc=nl";
const bases = { peopleBase: `ou=people,${BASE}`, groupsBase: `ou=groups,${BASE}` };

function openMemory(): Promise<ContractTarget> {
  const target = createMemoryTarget();
  return Promise.resolve({ target, ...bases, close: () => target.close() });
}

async function openLdif(): Promise<ContractTarget> {
  const dir = mkdtempSync(path.join(tmpdir(), "overstap-contract-ldif-"));
  const file = path.join(dir, "directory.ldif");
  const container = (dn: string, ou: string) => `dn: ${dn}\nobjectClass: organizationalUnit\nou: ${ou}\n\n`;
  writeFileSync(
    file,
    `version: 1\n\ndn: ${BASE}\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example\n\n${container(bases.peopleBase, "people")}${container(bases.groupsBase, "groups")}`,
  );
  const target = await openLdifTarget(
    {
      type: "ldif",
      file,
      personClasses: ["inetOrgPerson"],
      groupClasses: ["groupOfNames", "groupOfUniqueNames"],
    },
    { name: "target", baseDir: dir },
  );
  return {
    target,
    ...bases,
    close: async () => {
      await target.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe("target contract: memory target", () => describeTargetContract(openMemory));
describe("target contract: LDIF target", () => describeTargetContract(openLdif));

describe("target contract: LDAP target on OpenLDAP", () => {
  let slapd: Slapd;
  beforeAll(async () => {
    slapd = await startSlapd();
  }, 60_000);
  afterAll(async () => {
    await slapd?.stop();
  });
  describeTargetContract(async () => {
    const target = await targetFor(slapd);
    return { target, ...bases, close: () => target.close() };
  }, 60_000);
  describe("with its own disable strategy", () => {
    describeTargetContract(async () => {
      const target = await targetFor(slapd, {
        disable: { strategy: "attribute", attribute: "description", value: "disabled" },
      });
      return { target, ...bases, close: () => target.close() };
    }, 60_000);
  });
});

/** A memory target broken one way: `break` rewrites each operation before it is applied. */
function broken(rewrite: (op: Operation) => Operation, extra: Partial<TargetConnector> = {}) {
  return async (): Promise<ContractTarget> => {
    const inner = createMemoryTarget();
    const target: TargetConnector = { ...inner, apply: (op) => inner.apply(rewrite(op)), ...extra };
    return { target, ...bases, close: () => inner.close() };
  };
}

describe("the target contract catches broken targets", () => {
  const cases: [string, string, () => Promise<ContractTarget>][] = [
    [
      "a target that ignores removed values",
      "adds and removes group members exactly and idempotently",
      broken((op) => ({ ...op, ...(op.changes ? { changes: op.changes.filter((c) => !c.remove) } : {}) })),
    ],
    [
      "a target that drops a rename's changes",
      "creates, updates, renames and deletes exactly and idempotently",
      broken((op) => (op.kind === "rename" ? { ...op, changes: [] } : op)),
    ],
    [
      "a target whose rules do not read its own disable",
      "disables and enables by its own rules",
      broken((op) => op, {
        rules: (d) => ({
          keySyntax: "dn",
          disable: () => [{ attr: d.attribute, add: ["something else"] }],
          enable: () => [],
          isDisabled: (attrs) => (attrs[d.attribute] ?? []).includes(d.value),
          purgeDue: () => false,
        }),
      }),
    ],
    [
      "a target that does not apply updates",
      "rolls a run back to exactly where it started",
      broken((op) => (op.kind === "update" ? { ...op, changes: [] } : op)),
    ],
  ];
  for (const [what, check, open] of cases) {
    it(`fails "${check}" for ${what}`, async () => {
      const t = await open();
      try {
        await expect((TARGET_CONTRACT[check] as (t: ContractTarget) => Promise<void>)(t)).rejects.toThrow();
      } finally {
        await t.close();
      }
    });
  }
});
