import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { OverstapError } from "../errors.js";
import type { PlanHeader } from "../model/plan.js";
import type { StateStore } from "../state/store.js";
import { planFingerprint } from "./fingerprint.js";
import { PROJECT_NS } from "./ownership.js";

/** Which project a plan belongs to (the header's `project`). */
export interface PlanProject {
  /** The state store's id, made once when the project first plans. */
  store: string;
  /** The target's identity (see `targetIdentity`). */
  target: string;
}

/** What a project signs its plans with, and the project they are bound to. */
export interface PlanSeal {
  key: Buffer;
  project: PlanProject;
}

/** What a plan is checked against at apply: the project as configured now. */
export interface ProjectFacts extends PlanProject {
  institution: string;
  profile: string;
  /** The hash of the mapping text (the header's `inputs.mapping`). */
  mapping: string;
}

const MAC_CONTEXT = "overstap-plan-mac-v1\0";

/**
 * The project's plan seal: its plan key (32 random bytes) and store id, both created in the
 * state store the first time they are asked for (of two processes asking at once, one wins),
 * and the target's identity.
 *
 * @example
 * const seal = await projectSeal(store, targetIdentity(config.target, baseDir));
 */
export async function projectSeal(store: StateStore, target: string): Promise<PlanSeal> {
  const key = await store.putIfAbsent(PROJECT_NS, "plan-key", randomBytes(32).toString("base64"));
  const id = await store.putIfAbsent(PROJECT_NS, "store-id", randomUUID());
  return { key: Buffer.from(key, "base64"), project: { store: id, target } };
}

/** The HMAC-SHA-256 (hex) of a plan's content hash under the project's key. */
export function planMac(key: Buffer, hash: string): string {
  return createHmac("sha256", key).update(MAC_CONTEXT).update(hash).digest("hex");
}

/**
 * Refuses a plan that does not belong to this project (PLAN_FOREIGN: another institution,
 * mapping, profile, target or state store, each named with both sides) or that this project did
 * not write as it is (PLAN_TAMPERED: no MAC, or a MAC that does not match its content hash).
 * A rollback plan is the inverse of a journal, so its mapping is not compared.
 */
export function verifySeal(
  plan: { file: string; header: PlanHeader; hash: string; mac?: string | undefined },
  seal: PlanSeal,
  now: Omit<ProjectFacts, keyof PlanProject>,
): void {
  const { header } = plan;
  const differences: string[] = [];
  const compare = (what: string, planned: string | undefined, current: string) => {
    if (planned !== current)
      differences.push(`${what}: the plan says ${planned ?? "(nothing)"}, this project ${current}`);
  };
  compare("institution", header.institution, now.institution);
  compare("target", header.project?.target, seal.project.target);
  compare("state store", header.project?.store, seal.project.store);
  if (header.kind === "migrate") {
    compare("profile", header.profile, now.profile);
    compare("mapping (hash)", header.inputs.mapping, now.mapping);
  }
  if (differences.length) {
    throw new OverstapError(
      "PLAN_FOREIGN",
      `${plan.file} was not made by this project:\n${differences.map((d) => `  - ${d}`).join("\n")}`,
      {
        hint: "Apply a plan in the project (folder and overstap.yaml) that made it; if the mapping or configuration changed since, make a new plan with `overstap plan`.",
      },
    );
  }
  const expected = Buffer.from(planMac(seal.key, plan.hash), "hex");
  const given = Buffer.from(plan.mac ?? "", "hex");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new OverstapError(
      "PLAN_TAMPERED",
      `${plan.file}: the plan is not sealed by this project's plan key (fingerprint ${planFingerprint(plan.hash)}); it was changed after planning, or written by something other than \`overstap plan\``,
      { hint: "Never edit a plan. Make a new one with `overstap plan`." },
    );
  }
}
