/**
 * The correlation world: the spine's test school (config, persons) with a mapping that maps
 * employeeNumber, and accounts already in the target. Tests of how persons are linked to existing
 * entries build on it, each with its own correlation keys.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { onTestFinished } from "vitest";
import { createMemoryTarget } from "../../connectors/ldif/memory.js";
import { type LoadedConfig, parseConfig } from "../../src/config/load.js";
import { type CompiledMapping, compileMapping } from "../../src/mapping/mapping.js";
import type { PersonInput } from "../../src/model/person.js";
import type { TargetEntry } from "../../src/model/target-entry.js";
import { buildPlan } from "../../src/plan/planner.js";
import { openSqliteStore } from "../../src/state/sqlite.js";
import { schoolMapping } from "./spine.js";

/** The container of the world's person accounts. */
export const PEOPLE = "ou=people,dc=school,dc=nl";

/** The key of the person account with this uid. */
export const dn = (uid: string) => `uid=${uid},${PEOPLE}`;

const EMPLOYEE_NUMBER = `    employeeNumber: { value: "{{ number }}", when: "number" }\n`;

/** A person account in the target, as a previous migration or an administrator left it. */
export const account = (uid: string, attrs: Record<string, string[]> = {}): TargetEntry => ({
  key: dn(uid),
  type: "person",
  attrs: { objectClass: ["inetOrgPerson"], uid: [uid], cn: [uid], sn: [uid], ...attrs },
});

/**
 * The world's config (from `config`) and compiled mapping (with the mapping lines `attributes`
 * added), as if read from files in `dir`.
 */
export function correlationProject(
  config: string,
  dir: string,
  attributes = "",
): { loaded: LoadedConfig; mapper: CompiledMapping } {
  return {
    loaded: parseConfig(config, path.join(dir, "overstap.yaml")),
    mapper: compileMapping(schoolMapping(EMPLOYEE_NUMBER + attributes), path.join(dir, "mapping.yaml")),
  };
}

/**
 * A world for one test: `persons` in a SQLite store, `entries` in an in-memory target, and a
 * `plan()` of the stage `all` (mapping lines `attributes` added). The store's folder is removed when the test ends.
 */
export async function correlationWorld(
  persons: PersonInput[],
  entries: TargetEntry[],
  config: string,
  attributes = "",
) {
  const dir = mkdtempSync(path.join(tmpdir(), "overstap-correlation-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const store = openSqliteStore(path.join(dir, "state.db"));
  await store.ingest("las", [
    { type: "reset" },
    ...persons.map((p) => ({ type: "person" as const, person: p as never })),
    { type: "checkpoint", checkpoint: null, done: true },
  ]);
  const { loaded, mapper } = correlationProject(config, dir, attributes);
  const target = createMemoryTarget(entries);
  const plan = () =>
    buildPlan({ config: loaded.config, configHash: loaded.hash, mapper, store, target, stage: "all" });
  return { store, target, plan };
}
