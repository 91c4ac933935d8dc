import type { Command } from "commander";
import { resolveSecret, SecretRefSchema } from "../config/secret.js";
import { toOverstapError } from "../errors.js";
import type { CheckFinding } from "../model/connector.js";
import { createStyle } from "../report/style.js";
import { action } from "./action.js";
import { say, sayJson, useColor } from "./output.js";
import { projectProfile } from "./plan.js";
import { openProject, type Project } from "./project.js";

interface Finding extends CheckFinding {
  area: string;
}

/** Runs every check `overstap doctor` knows and returns the findings. */
export async function diagnose(project: Project): Promise<Finding[]> {
  const out: Finding[] = [];
  const guard = async (area: string, fn: () => Promise<CheckFinding[] | CheckFinding>) => {
    try {
      const r = await fn();
      for (const f of Array.isArray(r) ? r : [r]) out.push({ area, ...f });
    } catch (err) {
      const e = toOverstapError(err);
      out.push({ area, ok: false, message: `[${e.code}] ${e.message}`, ...(e.hint ? { hint: e.hint } : {}) });
    }
  };
  const { loaded, store } = project;
  out.push({ area: "config", ok: true, message: `${loaded.file} is valid` });
  for (const [where, ref] of secretRefs(loaded.config, [])) {
    await guard("secrets", async () => {
      await resolveSecret(ref, `${loaded.file}: ${where}`, loaded.baseDir);
      return { ok: true, message: `${where} is available (${"env" in ref ? `$${ref.env}` : ref.file})` };
    });
  }
  const mapping = await project.mapping().catch((err) => {
    out.push({ area: "mapping", ok: false, message: toOverstapError(err).message });
    return undefined;
  });
  if (mapping) {
    out.push({
      area: "mapping",
      ok: true,
      message: `${loaded.config.mapping} compiles (${mapping.attributes.person.length} person attributes, ${mapping.attributes.group.length} group attributes)`,
    });
    await guard("profile", async () => {
      const profile = await projectProfile(project);
      if (!profile) return { ok: true, message: "no federation profile (profile: none)" };
      const produced = new Set(mapping.attributes.person.map((a) => a.toLowerCase()));
      const missing = profile.attributes
        .filter((a) => a.min > 0 && !produced.has(a.name.toLowerCase()))
        .map((a) => a.name);
      return missing.length
        ? {
            ok: false,
            message: `the mapping does not produce ${missing.join(", ")}, required by the ${profile.name} profile`,
            hint: "Add them under person.attributes in the mapping.",
          }
        : { ok: true, message: `the mapping produces every attribute the ${profile.name} profile requires` };
    });
  }
  for (const name of Object.keys(loaded.config.sources)) {
    await guard(`source ${name}`, async () => {
      const info = await store.sourceInfo(name);
      const source = await project.source(name);
      const checks = (await source.check?.()) ?? [];
      return [
        ...checks,
        info
          ? {
              ok: info.complete,
              message: `last pull: ${info.persons} persons, ${info.groups} groups${info.complete ? "" : " — interrupted"}`,
              ...(info.complete ? {} : { hint: "Run `overstap pull` to finish it." }),
            }
          : { ok: true, message: "not pulled yet" },
      ];
    });
  }
  await guard("target", async () => {
    const target = await project.target();
    const checks = (await target.check?.(mapping?.attributes.person ?? [])) ?? [];
    let n = 0;
    for await (const _ of target.read()) if (++n >= 1) break;
    return [...checks, { ok: true, message: `${loaded.config.target.type} target is readable` }];
  });
  return out;
}

function secretRefs(value: unknown, at: string[]): [string, import("../config/secret.js").SecretRef][] {
  if (!value || typeof value !== "object") return [];
  const parsed = SecretRefSchema.safeParse(value);
  if (parsed.success) return [[at.join("."), parsed.data]];
  return Object.entries(value).flatMap(([k, v]) => secretRefs(v, [...at, k]));
}

/** Registers `overstap doctor`. */
export function register(program: Command): void {
  program
    .command("doctor")
    .description("check the configuration, secrets, mapping, profile, sources and target")
    .action(
      action(async (opts) => {
        const project = await openProject(opts.config);
        try {
          const findings = await diagnose(project);
          if (opts.json) sayJson(findings);
          else {
            const style = createStyle(useColor(opts) ? process.stdout : { write: () => true });
            for (const f of findings) {
              const mark = f.ok ? style.green("✓") : style.red("✗");
              say(opts, `${mark} ${f.area}: ${f.message}${f.hint ? `\n    ${f.hint}` : ""}`);
            }
          }
          return findings.every((f) => f.ok) ? 0 : 1;
        } finally {
          await project.close();
        }
      }),
    );
}
