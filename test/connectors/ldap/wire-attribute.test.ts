import { AddRequest, Change, ModifyRequest } from "ldapts";
import { describe, expect, it } from "vitest";
import { WireAttribute } from "../../../connectors/ldap/wire-attribute.js";

describe("WireAttribute", () => {
  const attributes = [
    new WireAttribute({ type: "cn", values: ["Zoë Çelik"] }),
    new WireAttribute({ type: "mail", values: ["z.celik@example.nl"] }),
  ];

  it("keeps values out of the JSON ldapts writes to its debug log for every request", () => {
    const add = new AddRequest({ messageId: 1, dn: "uid=z.celik,dc=example,dc=nl", attributes });
    const modify = new ModifyRequest({
      messageId: 2,
      dn: "uid=z.celik,dc=example,dc=nl",
      changes: [new Change({ operation: "replace", modification: attributes[1] as WireAttribute })],
    });
    for (const request of [add, modify]) {
      const json = JSON.stringify(request);
      expect(json).toContain('"type":"mail"');
      expect(json).not.toContain("z.celik@example.nl");
      expect(json).not.toContain("Zoë");
    }
  });

  it("still sends every value on the wire", () => {
    const ber = new AddRequest({ messageId: 1, dn: "uid=z.celik,dc=example,dc=nl", attributes }).write();
    expect(ber.includes(Buffer.from("z.celik@example.nl"))).toBe(true);
    expect(ber.includes(Buffer.from("Zoë Çelik"))).toBe(true);
  });
});
