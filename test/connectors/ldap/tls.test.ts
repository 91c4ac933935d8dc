import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isOverstapError } from "../../../src/errors.js";
import { type Slapd, startSlapd } from "../../support/slapd.js";
import { targetFor } from "./helpers.js";

let slapd: Slapd;
const quick = { retry: { attempts: 2, baseMs: 10, maxMs: 20, totalMs: 1000 } };

beforeAll(async () => {
  slapd = await startSlapd();
});
afterAll(async () => {
  await slapd?.stop();
});

describe("LDAP target: transport security", () => {
  it("connects over LDAPS when the CA is given", async () => {
    const t = await targetFor(slapd, { url: slapd.ldapsUrl, caFile: slapd.caFile });
    try {
      expect(await t.get("ou=people,dc=example,dc=nl", "person")).toBeNull();
      expect(await t.findBy("person", "uid", "nobody")).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it("refuses LDAPS to a server whose CA it does not know", async () => {
    const t = await targetFor(slapd, { url: slapd.ldapsUrl, ...quick });
    try {
      const err = await t.findBy("person", "uid", "x").catch((e) => e);
      expect(isOverstapError(err, "TARGET_TLS")).toBe(true);
      expect(err.hint).toMatch(/caFile/);
    } finally {
      await t.close();
    }
  });

  it("upgrades with StartTLS and verifies the certificate", async () => {
    const good = await targetFor(slapd, { startTls: true, caFile: slapd.caFile });
    try {
      expect(await good.findBy("person", "uid", "x")).toEqual([]);
    } finally {
      await good.close();
    }
    const bad = await targetFor(slapd, { startTls: true, ...quick });
    try {
      expect(isOverstapError(await bad.findBy("person", "uid", "x").catch((e) => e), "TARGET_TLS")).toBe(
        true,
      );
    } finally {
      await bad.close();
    }
  });

  it("refuses plain ldap:// to a host that is not loopback unless allowInsecure is set", async () => {
    const err = await targetFor(slapd, { url: "ldap://idp.example.nl" }).catch((e) => e);
    expect(isOverstapError(err, "CONFIG_INVALID")).toBe(true);
    expect(err.message).toContain("target.url");
    const allowed = await targetFor(slapd, { url: "ldap://idp.example.nl", allowInsecure: true });
    await allowed.close();
  });

  it("reports a wrong bind password as TARGET_AUTH without the password in the message", async () => {
    process.env.OVERSTAP_TEST_LDAP_PW = "not-the-password-x9";
    const t = await targetFor(slapd, { bindPassword: { env: "OVERSTAP_TEST_LDAP_PW" } });
    try {
      const err = await t.get("ou=people,dc=example,dc=nl", "person").catch((e) => e);
      expect(isOverstapError(err, "TARGET_AUTH")).toBe(true);
      expect(`${err.message} ${err.hint}`).not.toContain("not-the-password-x9");
    } finally {
      await t.close();
      delete process.env.OVERSTAP_TEST_LDAP_PW;
    }
  });
});
