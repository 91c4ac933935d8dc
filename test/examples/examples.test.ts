import { mkdtempSync, readdirSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LdapConfigSchema } from "../../connectors/ldap/config.js";
import { exampleNames, initProject } from "../../src/app/init-project.js";
import { connectorContext, parseConfig } from "../../src/config/load.js";
import { compileMapping } from "../../src/mapping/mapping.js";
import { loadProfile, validateEntry } from "../../src/mapping/profile.js";
import type { Person } from "../../src/model/person.js";
import type { ReviewItem } from "../../src/model/review.js";
import type { Plan } from "../../src/plan/plan-file.js";
import type { StateStore } from "../../src/state/store.js";
import {
  EXAMPLES,
  type Example,
  type ExampleName,
  exampleDir,
  loadExample,
  mapAndValidate,
  personsOf,
  planExample,
  pullFromSimulator,
} from "./example.js";
import { poTenant, type Tenant, type Truth, uniTenant, voTenant } from "./tenants.js";

/** The stage of each example that selects everyone. */
const EVERYONE: Record<ExampleName, string> = {
  "po-bestuur-entra": "bestuur",
  "vo-school-eckid": "school",
  "universiteit-surfconext": "iedereen",
};

function tenantFor(example: Example, size: "small" | "large"): Tenant {
  const large = size === "large";
  switch (example.name) {
    case "po-bestuur-entra":
      return poTenant(large ? 400 : 30);
    case "vo-school-eckid":
      return voTenant(large ? 2000 : 150, example.entra.extensionAttributes[0] as string);
    case "universiteit-surfconext":
      return uniTenant(large ? 2000 : 150);
  }
}

const sorted = (v: readonly string[] | undefined) => [...(v ?? [])].sort();

/** Where a mapped entry disagrees with what the institution knows about the person. */
function disagreements(example: Example, attrs: Record<string, string[]>, truth: Truth): string[] {
  const want: Record<string, string[] | undefined> = {
    givenName: [truth.givenName],
    sn: [truth.sn],
    eduPersonAffiliation: sorted(truth.affiliation),
  };
  if (example.loaded.config.profile === "entree") {
    Object.assign(want, {
      nlEduPersonTussenvoegsels: truth.tussenvoegsel ? [truth.tussenvoegsel] : undefined,
      employeeNumber: [truth.employeeNumber],
      nlEduPersonHomeOrganizationId: [truth.brin],
      nlEduPersonHomeOrganizationBranchId: [truth.branch],
      eckId: truth.eckId ? [truth.eckId] : undefined,
    });
  } else {
    const sho = example.vars.schacHomeOrganization as string;
    Object.assign(want, {
      schacHomeOrganization: [sho],
      eduPersonScopedAffiliation: sorted(truth.affiliation.map((a) => `${a}@${sho}`)),
      eduPersonPrincipalName: [`${attrs.uid?.[0]}@${sho}`],
      schacPersonalUniqueCode: truth.personalCode ? [truth.personalCode] : undefined,
      preferredLanguage: truth.preferredLanguage ? [truth.preferredLanguage] : undefined,
    });
  }
  const out: string[] = [];
  for (const [name, values] of Object.entries(want)) {
    const have =
      name.startsWith("eduPerson") && name.endsWith("Affiliation") ? sorted(attrs[name]) : attrs[name];
    if (JSON.stringify(have) !== JSON.stringify(values)) {
      out.push(`${name}: want ${JSON.stringify(values)}, have ${JSON.stringify(have)}`);
    }
  }
  return out;
}

describe("the shipped examples", () => {
  it("are exactly the examples tested here, and `overstap init` offers them", () => {
    const dirs = readdirSync(path.dirname(exampleDir("x")))
      .filter((d) => statSync(path.join(path.dirname(exampleDir("x")), d)).isDirectory())
      .sort();
    expect(dirs).toEqual([...EXAMPLES]);
    expect(exampleNames()).toEqual([...EXAMPLES]);
  });
});

describe.each(EXAMPLES)("example %s", (name) => {
  let example: Example;
  beforeAll(async () => {
    example = await loadExample(name);
  });

  it("`initProject` writes files that load, compile and name a bundled profile", async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "overstap-init-")), name);
    const written = (await initProject(dir, name)).map((f) => path.basename(f)).sort();
    expect(written).toEqual(["README.md", "mapping.yaml", "overstap.yaml"]);
    for (const f of written) expect(statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
    const copied = await loadExample(name, dir);
    expect(copied.mapping.hash).toBe(example.mapping.hash);
    expect(copied.loaded.hash).toBe(example.loaded.hash);
    expect(copied.profile.name).toBe(example.loaded.config.profile);
    // Parsing the text directly gives the same as loading the file.
    const text = await readFile(path.join(dir, "overstap.yaml"), "utf8");
    expect(parseConfig(text, path.join(dir, "overstap.yaml")).hash).toBe(copied.loaded.hash);
    const mappingText = await readFile(path.join(dir, "mapping.yaml"), "utf8");
    expect(compileMapping(mappingText, "mapping.yaml").attributes).toEqual(copied.mapping.attributes);
    await expect(initProject(dir, name)).rejects.toMatchObject({ code: "USAGE" });
  });

  it("holds secrets only as environment references and valid connector sections", async () => {
    const { config } = example.loaded;
    expect(example.entra.clientSecret).toEqual({ env: "OVERSTAP_ENTRA_SECRET" });
    const target = connectorContext(example.loaded, ["target"]).parse(LdapConfigSchema, config.target);
    expect(target.bindPassword).toEqual({ env: "OVERSTAP_LDAP_PASSWORD" });
    expect(target.url.startsWith("ldaps://")).toBe(true);
    const text = await readFile(path.join(example.dir, "overstap.yaml"), "utf8");
    expect(text).not.toMatch(/(secret|password)\s*:\s*["']?[^{\s]/i);
    // The mapping writes under the directory the target reads.
    const people = target.peopleBase as string;
    const persons = personsOf(example, tenantFor(example, "small")).slice(0, 20);
    for (const p of persons) {
      const { result } = mapAndValidate(example, p);
      if (result.ok) expect(result.key.toLowerCase().endsWith(`,${people.toLowerCase()}`)).toBe(true);
    }
  });

  it("maps a generated tenant with zero review items, agreeing with what the institution knows", () => {
    const tenant = tenantFor(example, "large");
    const persons = personsOf(example, tenant).filter((p) => tenant.truth.has(p.id));
    expect(persons.length).toBeGreaterThan(1500);
    const failures: string[] = [];
    for (const person of persons) {
      const { result, review } = mapAndValidate(example, person);
      if (!result.ok) {
        failures.push(`${person.id}: ${JSON.stringify(result.errors)}`);
        continue;
      }
      for (const item of review) failures.push(`${item.record} ${item.field} ${item.rule}: ${item.reason}`);
      for (const d of disagreements(example, result.attrs, tenant.truth.get(person.id) as Truth)) {
        failures.push(`${person.id} ${d}`);
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });

  describe("pulled from the Graph simulator and planned", () => {
    let tenant: Tenant;
    let store: StateStore;
    let plan: Plan;
    beforeAll(async () => {
      example ??= await loadExample(name);
      tenant = tenantFor(example, "small");
      store = await pullFromSimulator(example, tenant);
      plan = await planExample(example, store, EVERYONE[name]);
    }, 60_000);
    afterAll(async () => {
      await store?.close();
    });

    const itemsOf = (id: string): ReviewItem[] => plan.review.filter((r) => r.record === `entra:${id}`);

    it("creates every enabled clean person, agreeing with what the institution knows", () => {
      const creates = new Map(
        plan.operations.filter((o) => o.kind === "create" && o.type === "person").map((o) => [o.ref, o]),
      );
      const enabled = [...tenant.truth.keys()].filter((id) => tenant.directory.users.get(id)?.accountEnabled);
      expect(enabled.length).toBeLessThan(tenant.truth.size);
      const failures: string[] = [];
      for (const id of enabled) {
        const op = creates.get(`entra:${id}`);
        if (!op?.attrs) failures.push(`${id}: no create operation`);
        else
          failures.push(
            ...disagreements(example, op.attrs, tenant.truth.get(id) as Truth).map((d) => `${id} ${d}`),
          );
      }
      expect(failures.slice(0, 10)).toEqual([]);
      for (const id of tenant.truth.keys()) expect(itemsOf(id)).toEqual([]);
    });

    it("puts each dirty record in the review list, naming record, attribute and rule", () => {
      expect(tenant.dirty.length).toBeGreaterThanOrEqual(6);
      const refs = new Set(plan.operations.map((o) => o.ref));
      for (const dirty of tenant.dirty) {
        const items = itemsOf(dirty.id);
        const found = items.map((i) => ({ field: i.field, rule: i.rule, severity: i.severity }));
        for (const want of dirty.expect) {
          expect(found, `${dirty.what} (entra:${dirty.id})`).toContainEqual(want);
        }
        for (const item of items) expect(item.reason.length, dirty.what).toBeGreaterThan(10);
        const fatal = dirty.expect.some((e) => e.severity === "error");
        expect(refs.has(`entra:${dirty.id}`), `${dirty.what}: in the operations`).toBe(!fatal);
      }
      const dirtyRefs = new Set(tenant.dirty.map((d) => `entra:${d.id}`));
      expect(plan.review.filter((r) => !dirtyRefs.has(r.record))).toEqual([]);
      expect(plan.header.summary.review.error).toBeGreaterThan(0);
    });

    it("creates the groups with the keys of their created members", () => {
      const keyOf = new Map(plan.operations.filter((o) => o.type === "person").map((o) => [o.ref, o.key]));
      const groups = plan.operations.filter((o) => o.type === "group" && o.kind === "create");
      expect(groups.length).toBe(tenant.groups.size);
      for (const op of groups) {
        const name = op.attrs?.cn?.[0] as string;
        const want = (tenant.groups.get(name) ?? [])
          .map((id) => keyOf.get(`entra:${id}`))
          .filter((k) => k !== undefined);
        expect(sorted(op.attrs?.member), name).toEqual(sorted(want));
      }
    });
  });
});

describe("po-bestuur-entra specifics", () => {
  let example: Example;
  beforeAll(async () => {
    example = await loadExample("po-bestuur-entra");
  });

  it("derives the school from department first, then companyName", () => {
    const person = (ext: Person["ext"]): Person => ({
      source: "entra",
      id: "1",
      login: "a.b@x.nl",
      givenName: "A",
      surname: "B",
      roles: ["Leerling"],
      number: "1",
      enabled: true,
      groups: [],
      ext,
    });
    const brinOf = (ext: Person["ext"]) => {
      const r = example.mapping.mapPerson(person(ext), example.vars);
      return r.ok ? r.attrs.nlEduPersonHomeOrganizationBranchId : r.errors.map((e) => e.field);
    };
    expect(brinOf({ department: "Het Palet", companyName: "OBS De Regenboog" })).toEqual(["99DE00"]);
    expect(brinOf({ department: "Groep 5A", companyName: "OBS De Regenboog" })).toEqual(["11ZZ00"]);
    expect(brinOf({ department: " het palet " })).toContain("nlEduPersonHomeOrganizationBranchId");
  });

  it("a typo in a BRIN of the lookup table puts that school's people in review (format:brin)", async () => {
    const text = await readFile(path.join(example.dir, "mapping.yaml"), "utf8");
    expect(text).toContain("31KL00");
    const typo = { ...example, mapping: compileMapping(text.replaceAll("31KL00", "31K00"), "mapping.yaml") };
    const tenant = poTenant(10);
    let flagged = 0;
    for (const p of personsOf(typo, tenant).filter((p) => tenant.truth.get(p.id)?.brin === "31KL")) {
      const { result, review } = mapAndValidate(typo, p);
      expect(result.ok).toBe(true);
      const found = review.map((r) => `${r.record} ${r.field} ${r.rule} ${r.severity}`);
      expect(found).toContain(`entra:${p.id} nlEduPersonHomeOrganizationId format:brin error`);
      expect(found).toContain(`entra:${p.id} nlEduPersonHomeOrganization missing error`);
      flagged++;
    }
    expect(flagged).toBeGreaterThan(10);
  });

  it("stages select by school: each BRIN stage adds exactly that school's people", async () => {
    const tenant = poTenant(12);
    const store = await pullFromSimulator(example, tenant);
    try {
      const pilot = new Set(tenant.groups.get("ICT-pilot"));
      const enabled = (id: string) => tenant.directory.users.get(id)?.accountEnabled === true;
      const staff = (t: Truth) => !t.affiliation.includes("student") && !t.affiliation.includes("affiliate");
      const selected = new Set<string>();
      for (const [stage, brin] of [
        ["personeel", null],
        ["regenboog", "11ZZ"],
        ["kompas", "20DP"],
      ] as const) {
        for (const [id, t] of tenant.truth) {
          if (pilot.has(id) || staff(t) || (brin && t.brin === brin)) selected.add(id);
        }
        const plan = await planExample(example, store, stage);
        const creates = plan.operations
          .filter((o) => o.type === "person" && o.kind === "create")
          .map((o) => o.ref ?? o.key);
        expect(sorted(creates), stage).toEqual(
          sorted([...selected].filter(enabled).map((id) => `entra:${id}`)),
        );
      }
    } finally {
      await store.close();
    }
  }, 60_000);
});

describe("vo-school-eckid specifics", () => {
  let example: Example;
  beforeAll(async () => {
    example = await loadExample("vo-school-eckid");
  });

  it("carries the ECK iD over byte for byte from the directory extension attribute", () => {
    const attr = example.entra.extensionAttributes[0] as string;
    expect(attr).toMatch(/^extension_[0-9a-f]{32}_eckId$/);
    const tenant = voTenant(50, attr);
    const persons = personsOf(example, tenant);
    let carried = 0;
    for (const p of persons) {
      const raw = tenant.directory.users.get(p.id)?.[attr];
      const { result } = mapAndValidate(example, p);
      if (!result.ok) continue;
      expect(result.attrs.eckId).toEqual(typeof raw === "string" ? [raw] : undefined);
      if (raw) carried++;
    }
    expect(carried).toBeGreaterThan(40);
  });

  it("a BRIN typo in overstap.yaml puts everyone in review instead of migrating a wrong school", async () => {
    const text = await readFile(path.join(example.dir, "overstap.yaml"), "utf8");
    const typo = parseConfig(
      text.replace(/brin: 99ZZ\b/, "brin: 99Z"),
      path.join(example.dir, "overstap.yaml"),
    );
    const vars = { ...example.vars, ...typo.config.vars };
    expect(vars.brin).toBe("99Z");
    const tenant = voTenant(20, example.entra.extensionAttributes[0] as string);
    for (const p of personsOf(example, tenant).filter((p) => tenant.truth.has(p.id))) {
      const { result, review } = mapAndValidate({ ...example, vars }, p);
      expect(result.ok).toBe(true);
      expect(review.map((r) => `${r.field} ${r.rule} ${r.severity}`)).toContain(
        "nlEduPersonHomeOrganizationId format:brin error",
      );
    }
  });
});

describe("universiteit-surfconext specifics", () => {
  let example: Example;
  beforeAll(async () => {
    example = await loadExample("universiteit-surfconext");
  });

  it("is eduID-ready: the clean tenant also passes the eduID profile without errors", async () => {
    const eduid = await loadProfile("eduid");
    const tenant = uniTenant(300);
    const errors: ReviewItem[] = [];
    for (const p of personsOf(example, tenant).filter((p) => tenant.truth.has(p.id))) {
      const { result } = mapAndValidate(example, p);
      expect(result.ok).toBe(true);
      if (result.ok)
        errors.push(
          ...validateEntry(eduid, result.attrs, `entra:${p.id}`).filter((r) => r.severity === "error"),
        );
    }
    expect(errors).toEqual([]);
  });

  it("numbers colliding uids and keeps eduPersonPrincipalName in step", async () => {
    const tenant = uniTenant(20);
    const store = await pullFromSimulator(example, tenant);
    try {
      const plan = await planExample(example, store, "iedereen");
      const jansen = plan.operations.filter(
        (o) => o.kind === "create" && o.attrs?.sn?.[0] === "Jansen" && o.attrs?.givenName?.[0] === "Joost",
      );
      expect(sorted(jansen.map((o) => o.attrs?.uid?.[0] as string))).toEqual(["j.jansen", "j.jansen2"]);
      for (const op of jansen) {
        expect(op.attrs?.eduPersonPrincipalName).toEqual([`${op.attrs?.uid?.[0]}@uni-voorbeeld.nl`]);
        expect(op.key.startsWith(`uid=${op.attrs?.uid?.[0]},`)).toBe(true);
      }
    } finally {
      await store.close();
    }
  }, 60_000);
});
