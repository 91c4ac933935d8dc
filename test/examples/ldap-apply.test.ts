import { mkdtempSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLdapTarget } from "../../connectors/ldap/index.js";
import type { LdapTarget } from "../../connectors/ldap/target.js";
import { connectorContext } from "../../src/config/load.js";
import { applyPlan } from "../../src/execute/apply.js";
import { compileMapping } from "../../src/mapping/mapping.js";
import { readPlan, writePlan } from "../../src/plan/plan-file.js";
import type { StateStore } from "../../src/state/store.js";
import { type Slapd, startSlapd } from "../support/slapd.js";
import { EXAMPLES, type Example, loadExample, planExample, pullFromSimulator } from "./example.js";
import { poTenant, type Tenant, uniTenant, voTenant } from "./tenants.js";

const EVERYONE = {
  "po-bestuur-entra": "bestuur",
  "vo-school-eckid": "school",
  "universiteit-surfconext": "iedereen",
};

function smallTenant(example: Example): Tenant {
  if (example.name === "po-bestuur-entra") return poTenant(12);
  if (example.name === "vo-school-eckid") return voTenant(60, example.entra.extensionAttributes[0] as string);
  return uniTenant(60);
}

/**
 * The example's mapping and target pointed at a throwaway slapd (suffix dc=example,dc=nl, loaded
 * with the core, eduPerson, SCHAC and nlEduPerson schemas): what the IdP's directory would get.
 */
async function onSlapd(example: Example, slapd: Slapd): Promise<{ example: Example; target: LdapTarget }> {
  const section = example.loaded.config.target as Record<string, unknown>;
  const base = section.baseDn as string;
  const text = await readFile(path.resolve(example.loaded.baseDir, example.loaded.config.mapping), "utf8");
  expect(text).toContain(base);
  const mapping = compileMapping(text.replaceAll(base, slapd.baseDn), "mapping.yaml");
  const target = await createLdapTarget(
    {
      ...section,
      url: slapd.url,
      baseDn: slapd.baseDn,
      peopleBase: `ou=people,${slapd.baseDn}`,
      groupsBase: `ou=groups,${slapd.baseDn}`,
      bindDn: slapd.bindDn,
      bindPassword: { file: slapd.passwordFile },
    },
    connectorContext(example.loaded, ["target"]),
  );
  return { example: { ...example, mapping }, target };
}

describe.each(EXAMPLES)("example %s applied to OpenLDAP", (name) => {
  let slapd: Slapd;
  let store: StateStore;
  let target: LdapTarget;
  let example: Example;
  beforeAll(async () => {
    slapd = await startSlapd();
    ({ example, target } = await onSlapd(await loadExample(name), slapd));
    store = await pullFromSimulator(example, smallTenant(example));
  }, 120_000);
  afterAll(async () => {
    await target?.close();
    await store?.close();
    await slapd?.stop();
  });

  it("writes every planned entry: the object classes allow every mapped attribute", async () => {
    const built = await planExample(example, store, EVERYONE[name], target);
    const file = path.join(mkdtempSync(path.join(tmpdir(), "overstap-example-plan-")), "everyone.plan");
    await writePlan(file, built);
    const plan = await readPlan(file);
    const creates = plan.operations.filter((o) => o.kind === "create");
    expect(creates.length).toBeGreaterThan(20);
    const run = await applyPlan({ plan, config: example.loaded.config, store, target, force: true });
    const failures: string[] = [];
    for await (const r of store.readJournal(run.id)) {
      if (r.phase === "failed")
        failures.push(
          `${plan.operations.find((o) => o.seq === r.seq)?.key}: ${r.error.code} ${r.error.message}`,
        );
    }
    expect(failures.slice(0, 5)).toEqual([]);
    expect(run).toMatchObject({ status: "completed", failed: 0, done: plan.operations.length });

    const persons = creates.filter((o) => o.type === "person");
    for (const op of persons.slice(0, 25)) {
      const entry = await target.get(op.key, "person");
      for (const [attr, values] of Object.entries(op.attrs ?? {})) {
        if (attr.toLowerCase() === "objectclass") continue;
        const stored = Object.entries(entry?.attrs ?? {}).find(
          ([k]) => k.toLowerCase() === attr.toLowerCase(),
        )?.[1];
        expect([...(stored ?? [])].sort(), `${op.key} ${attr}`).toEqual([...values].sort());
      }
    }
    // Planning again against what was written finds nothing to do.
    const again = await planExample(example, store, EVERYONE[name], target);
    expect(again.operations).toEqual([]);
  }, 120_000);
});
