/**
 * The planner's unchanged check: a linked person whose managed attributes have the digest of
 * its target entry, with the same key and enabled state, is counted unchanged without reading
 * its entry back. Attributes patched after mapping (an identifier issued earlier) are not in
 * the digest, so such a person is diffed in full.
 */
import { describe, expect, it } from "vitest";
import type { Operation } from "../../src/model/operation.js";
import { correlationWorld } from "../support/correlation-world.js";
import { configText, person as pupil } from "../support/spine.js";

const CONFIG = configText("identifiers: [uid, eduPersonPrincipalName]\n");
const EPPN = `    eduPersonPrincipalName: "{{ givenName | lower | ascii }}@school.nl"\n`;

async function applied(world: Awaited<ReturnType<typeof correlationWorld>>) {
  const plan = await world.plan();
  for (const op of plan.operations) await world.target.apply(op as Operation);
  return plan;
}

describe("the unchanged check", () => {
  it("counts an applied person unchanged, and still updates an identifier issued differently since", async () => {
    const world = await correlationWorld(
      [pupil("1", "Eva", "Een"), pupil("2", "Tom", "Twee")],
      [],
      CONFIG,
      EPPN,
    );
    expect((await applied(world)).operations.map((op) => op.kind)).toEqual(["create", "create"]);
    const again = await world.plan();
    expect(again.operations).toEqual([]);
    expect(again.header.summary.unchanged.person).toBe(2);

    await world.store.setValues("eduPersonPrincipalName", [["las:1", "eva7@school.nl"]]);
    const patched = await world.plan();
    expect(patched.operations).toMatchObject([
      {
        kind: "update",
        ref: "las:1",
        changes: [{ attr: "eduPersonPrincipalName", replace: ["eva7@school.nl"], from: ["eva@school.nl"] }],
      },
    ]);
    expect(patched.header.summary.unchanged.person).toBe(1);
  });

  it("enables a person disabled in the target whose attributes did not change", async () => {
    const world = await correlationWorld([pupil("1", "Eva", "Een")], [], CONFIG, EPPN);
    const [create] = (await applied(world)).operations as Operation[];
    expect((await world.plan()).operations).toEqual([]);
    await world.target.apply({
      seq: 1,
      kind: "update",
      type: "person",
      key: (create as Operation).key,
      changes: [{ attr: "schacUserStatus", add: ["urn:schac:userStatus:nl:overstap:disabled"] }],
      fingerprint: null,
    } as Operation);
    expect((await world.plan()).operations.map((op) => op.kind)).toEqual(["enable"]);
  });
});
