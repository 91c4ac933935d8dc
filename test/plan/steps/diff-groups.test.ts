import { describe, expect, it } from "vitest";
import { createMemoryTarget } from "../../../connectors/ldif/memory.js";
import type { Group } from "../../../src/model/group.js";
import type { Operation } from "../../../src/model/operation.js";
import type { ReviewItem } from "../../../src/model/review.js";
import { diffGroups, MEMBER_CHUNK } from "../../../src/plan/diff-groups.js";
import type { EntryMapper } from "../../../src/plan/entry-mapper.js";
import { readGroups } from "../../../src/plan/group-members.js";
import { OperationOrder } from "../../../src/plan/operation-order.js";
import { Ownership } from "../../../src/plan/ownership.js";
import { TargetIndex } from "../../../src/plan/target-index.js";

const mapper: EntryMapper = {
  hash: "h",
  attributes: { person: [], group: ["cn", "member"] },
  mapPerson: () => ({ ok: false, errors: [] }),
  mapGroup: (g) => ({
    ok: true,
    key: `cn=${g.name},ou=groups,dc=x`,
    attrs: { objectClass: ["groupOfNames"], cn: [g.name] },
  }),
};

async function diff(members: number, existing: string[] | null, allowed: string[]) {
  const ids = Array.from({ length: members }, (_, i) => `p${i}`);
  const groups = [{ source: "las", id: "g", name: "3a", members: ids } as Group];
  const entries = existing
    ? [
        {
          key: "cn=3a,ou=groups,dc=x",
          type: "group" as const,
          attrs: { objectClass: ["groupOfNames"], cn: ["3a"], member: existing },
        },
      ]
    : [];
  const target = await TargetIndex.read(createMemoryTarget(entries), "eduPersonUniqueId");
  const out: Operation[] = [];
  const ops = new OperationOrder({ add: (o) => out.push(o) });
  const review: ReviewItem[] = [];
  const counts = diffGroups({
    groups: { manage: true, memberAttribute: "member" } as never,
    snapshot: await readGroups({
      async *groups() {
        yield* groups;
      },
    }),
    mapper,
    vars: {},
    target,
    finalKeyOf: new Map(ids.map((id) => [`las:${id}`, `uid=${id},dc=x`])),
    ops,
    review,
    ownership: new Ownership(
      { unmanagedGroups: false, objects: [] } as never,
      new Set(["cn=3a,ou=groups,dc=x"]),
    ),
    allowed: new Set(allowed as never[]),
  });
  ops.finish();
  return { out, review, counts };
}

describe("diff groups", () => {
  it("creates a new group with its first chunk of members and adds the rest in chunks", async () => {
    const { out, counts } = await diff(MEMBER_CHUNK * 2 + 1, null, ["create", "add-members"]);
    expect(out.map((o) => o.kind)).toEqual(["create", "add-members", "add-members"]);
    expect(out[0]?.attrs?.member).toHaveLength(MEMBER_CHUNK);
    expect(out.map((o) => o.changes?.[0]?.add?.length ?? 0)).toEqual([0, MEMBER_CHUNK, 1]);
    expect(counts.population).toBe(1);
  });

  it("adds missing members and removes only managed persons, as far as the stage allows", async () => {
    const have = ["uid=p0,dc=x", "uid=stranger,dc=x", "uid=p9,dc=x"];
    const { out } = await diff(2, have, ["add-members", "remove-members"]);
    expect(out.map((o) => [o.kind, o.changes?.[0]])).toEqual([
      ["add-members", { attr: "member", add: ["uid=p1,dc=x"] }],
    ]);
    const none = await diff(2, have, []);
    expect(none.out).toEqual([]);
  });

  it("counts a group that needs nothing as unchanged", async () => {
    const { out, counts } = await diff(
      2,
      ["uid=p0,dc=x", "uid=p1,dc=x"],
      ["update", "add-members", "remove-members"],
    );
    expect(out).toEqual([]);
    expect(counts.unchanged).toBe(1);
  });
});
