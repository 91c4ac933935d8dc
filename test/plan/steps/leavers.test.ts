import { describe, expect, it } from "vitest";
import { createMemoryTarget } from "../../../connectors/ldif/memory.js";
import { directoryRules } from "../../../src/model/directory-rules.js";
import type { Operation } from "../../../src/model/operation.js";
import type { ReviewItem } from "../../../src/model/review.js";
import { planLeavers } from "../../../src/plan/leavers.js";
import { OperationOrder } from "../../../src/plan/operation-order.js";
import { Ownership } from "../../../src/plan/ownership.js";
import { TargetIndex } from "../../../src/plan/target-index.js";

const disable = {
  attribute: "schacUserStatus",
  value: "disabled",
  purgeAttribute: "schacExpiryDate",
  purgeAfterDays: 90,
  objectClasses: [],
};
const rules = directoryRules(disable);
const person = (uid: string, extra: Record<string, string[]> = {}) => ({
  key: `uid=${uid},dc=x`,
  type: "person" as const,
  attrs: { objectClass: ["inetOrgPerson"], uid: [uid], eduPersonUniqueId: [`${uid}@x`], ...extra },
});

async function leavers(unidentified: number, allowed = ["disable", "delete"]) {
  const target = await TargetIndex.read(
    createMemoryTarget([
      person("stays"),
      person("left"),
      person("long-gone", { schacUserStatus: ["disabled"], schacExpiryDate: ["20260101000000Z"] }),
      person("recently-gone", { schacUserStatus: ["disabled"], schacExpiryDate: ["20270101000000Z"] }),
    ]),
    "eduPersonUniqueId",
  );
  (target.byAnchor.get("stays@x") as { present: boolean }).present = true;
  const out: Operation[] = [];
  const ops = new OperationOrder({ add: (o) => out.push(o) });
  const review: ReviewItem[] = [];
  const now = new Date("2026-12-07T00:00:00Z");
  planLeavers({
    target,
    ops,
    review,
    ownership: new Ownership({ unmanagedGroups: true, objects: [] } as never, new Set()),
    rules,
    allowed: new Set(allowed as never[]),
    unidentified,
    now,
    purgeAfter: new Date("2027-03-07T00:00:00Z"),
  });
  ops.finish();
  return { out, review };
}

describe("leavers", () => {
  it("disables who left, deletes who is past the purge date, and leaves the rest", async () => {
    const { out } = await leavers(0);
    expect(out.map((o) => `${o.kind} ${o.key}`)).toEqual([
      "disable uid=left,dc=x",
      "delete uid=long-gone,dc=x",
    ]);
    expect(out[0]?.changes).toEqual(rules.disable({ purgeAfter: new Date("2027-03-07T00:00:00Z") }));
    expect(out[0]?.purgeAfter).toBe("2027-03-07T00:00:00.000Z");
  });

  it("holds every disable back while a source has records it could not identify, and says so", async () => {
    const { out, review } = await leavers(2);
    expect(out.map((o) => o.kind)).toEqual(["delete"]);
    expect(review).toMatchObject([{ rule: "disables-held-back", severity: "warning" }]);
  });

  it("plans only what the stage allows", async () => {
    expect((await leavers(0, [])).out).toEqual([]);
  });
});
