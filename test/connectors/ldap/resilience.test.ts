import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isOverstapError } from "../../../src/errors.js";
import type { Operation } from "../../../src/model/operation.js";
import { type Slapd, startSlapd } from "../../support/slapd.js";
import { targetFor } from "./helpers.js";

const run = promisify(execFile);
let slapd: Slapd;
const people = "ou=people,dc=example,dc=nl";

beforeAll(async () => {
  slapd = await startSlapd();
});
afterAll(async () => {
  await slapd?.stop();
});

function create(i: number): Operation {
  return {
    seq: i,
    kind: "create",
    type: "person",
    key: `uid=r${i},${people}`,
    fingerprint: null,
    attrs: { objectClass: ["inetOrgPerson"], uid: [`r${i}`], cn: [`R ${i}`], sn: ["R"] },
  };
}

describe("LDAP target: resilience", () => {
  it("completes a sequence of applies while slapd is stopped and restarted", async () => {
    const target = await targetFor(slapd);
    try {
      let restarted: Promise<void> | undefined;
      for (let i = 0; i < 60; i++) {
        if (i === 20) {
          await slapd.halt();
          restarted = new Promise((r) => setTimeout(r, 1500)).then(() => slapd.start());
        }
        const after = await target.apply(create(i));
        expect(after?.attrs.uid).toEqual([`r${i}`]);
      }
      await restarted;
      const seen: string[] = [];
      for await (const e of target.read()) if (e.attrs.uid?.[0]?.startsWith("r")) seen.push(e.attrs.uid[0]);
      expect(seen).toHaveLength(60);
    } finally {
      await target.close();
    }
  });

  it("gives up with TARGET_UNREACHABLE when the server stays away beyond the retry budget", async () => {
    const target = await targetFor(slapd, { retry: { attempts: 3, baseMs: 20, maxMs: 50, totalMs: 2000 } });
    await slapd.halt();
    try {
      const err = await target.apply(create(1000)).catch((e) => e);
      expect(isOverstapError(err, "TARGET_UNREACHABLE")).toBe(true);
      expect(err.message).toMatch(/gave up after 3 attempts/);
    } finally {
      await slapd.start();
      await target.close();
    }
  });

  it("reads 5,000 entries with the paged results control", async () => {
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) {
      lines.push(
        `dn: uid=p${i},${people}`,
        "objectClass: inetOrgPerson",
        `uid: p${i}`,
        `cn: P ${i}`,
        "sn: P",
        "",
      );
    }
    const file = path.join(slapd.dir, "bulk.ldif");
    await writeFile(file, lines.join("\n"));
    await run("ldapadd", ["-x", "-H", slapd.url, "-D", slapd.bindDn, "-y", slapd.passwordFile, "-f", file]);
    const target = await targetFor(slapd, { pageSize: 250 });
    try {
      const progress: number[] = [];
      const uids = new Set<string>();
      for await (const e of target.read({ progress: (n) => progress.push(n) }))
        uids.add(e.attrs.uid?.[0] ?? "");
      expect([...uids].filter((u) => /^p\d+$/.test(u))).toHaveLength(5000);
      expect(progress.at(-1)).toBe(uids.size);
    } finally {
      await target.close();
    }
  });
});
