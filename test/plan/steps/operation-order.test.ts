import { describe, expect, it } from "vitest";
import type { Operation } from "../../../src/model/operation.js";
import { byPhase, inExecutionOrder, OperationOrder } from "../../../src/plan/operation-order.js";

const op = (
  kind: Operation["kind"],
  type: Operation["type"],
  key: string,
  extra: Partial<Operation> = {},
): Operation => ({
  seq: -1,
  kind,
  type,
  key,
  fingerprint: null,
  ...extra,
});

describe("operation order", () => {
  it("emits first-phase operations at once and holds the rest until finish, phase by phase", () => {
    const out: Operation[] = [];
    const order = new OperationOrder({ add: (o) => out.push(o) });
    order.push(op("delete", "person", "uid=gone"));
    order.push(op("create", "group", "cn=g"));
    order.push(op("create", "person", "uid=new"));
    order.push(op("disable", "person", "uid=left"));
    order.push(op("remove-members", "group", "cn=g"));
    expect(out.map((o) => o.key)).toEqual(["uid=new"]);
    order.finish();
    expect(out.map((o) => `${o.seq} ${o.kind} ${o.key}`)).toEqual([
      "0 create uid=new",
      "1 create cn=g",
      "2 remove-members cn=g",
      "3 disable uid=left",
      "4 delete uid=gone",
    ]);
  });

  it("counts kinds, identity changes, and adopted objects once however many operations adopt them", () => {
    const order = new OperationOrder({ add: () => {} });
    order.push(op("update", "group", "cn=g", { adopt: true }));
    order.push(op("add-members", "group", "cn=g", { adopt: true }));
    order.push(op("update", "person", "uid=a", { identityChanges: ["uid"] }));
    expect(order.counts).toEqual({
      person: { update: 1 },
      group: { update: 1, "add-members": 1 },
      identityChanges: 1,
      adoptions: 1,
    });
  });

  it("hands a person create's spooled text to a sink that takes it, numbered in order", () => {
    const creates: [number, string][] = [];
    const order = new OperationOrder({ add: () => {}, addCreate: (seq, key) => creates.push([seq, key]) });
    order.push(op("update", "person", "uid=a"));
    expect(order.pushCreate("uid=b", "las:2", () => Buffer.from("{}") as never)).toBe(true);
    expect(creates).toEqual([[1, "uid=b"]]);
    expect(order.counts.person).toEqual({ update: 1, create: 1 });
  });

  it("orders a list as the planner would, and splits it into phases", () => {
    const ordered = inExecutionOrder([op("delete", "group", "cn=x"), op("update", "person", "uid=a")]);
    expect(ordered.map((o) => [o.seq, o.key])).toEqual([
      [0, "uid=a"],
      [1, "cn=x"],
    ]);
    expect(byPhase(ordered).map((p) => p.map((o) => o.key))).toEqual([["uid=a"], ["cn=x"]]);
  });
});
