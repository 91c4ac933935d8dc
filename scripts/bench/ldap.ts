/**
 * The LDAP target against OpenLDAP's own tools, on one throwaway slapd: creating N entries
 * with `ldapadd -f` vs the connector's `apply` (p-queue, bounded concurrency), and reading N
 * entries with `ldapsearch -E pr=1000/noprompt` vs the connector's paged `read()`.
 * Run directly (`npx tsx scripts/bench/ldap.ts [N …]`) or call {@link benchLdap}.
 */
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import PQueue from "p-queue";
import { createLdapTarget } from "../../connectors/ldap/index.js";
import type { ConnectorContext } from "../../src/config/connector-context.js";
import { resolveSecret } from "../../src/config/secret.js";
import type { Operation } from "../../src/model/operation.js";
import { startSlapd } from "../../test/support/slapd.js";

const run = promisify(execFile);
const CONCURRENCY = 16;

function person(i: number, ou: string): { dn: string; attrs: Record<string, string[]> } {
  return {
    dn: `uid=p${i},${ou}`,
    attrs: {
      objectClass: ["inetOrgPerson", "eduPerson", "nlEduPerson"],
      uid: [`p${i}`],
      cn: [`Zoë Çelik ${i}`],
      sn: ["Çelik"],
      givenName: ["Zoë"],
      mail: [`p${i}@example.nl`],
      eduPersonAffiliation: ["student"],
      nlEduPersonHomeOrganizationId: ["11ZZ03"],
    },
  };
}

function ldif(entries: Array<{ dn: string; attrs: Record<string, string[]> }>): string {
  const out: string[] = [];
  for (const e of entries) {
    out.push(`dn: ${e.dn}`);
    for (const [k, vs] of Object.entries(e.attrs))
      for (const v of vs) out.push(`${k}:: ${Buffer.from(v).toString("base64")}`);
    out.push("");
  }
  return out.join("\n");
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

/**
 * Measures, per size N: entries per second for ldapadd and for the connector's apply, for
 * ldapsearch and for read(), and the ratios (connector / OpenLDAP tool; ≥ 1 is as fast).
 * @example const r = await benchLdap([10_000]); r["create ratio 10000"]
 */
export async function benchLdap(sizes: number[]): Promise<Record<string, number>> {
  const slapd = await startSlapd();
  const ctx: ConnectorContext = {
    name: "target",
    path: "target",
    baseDir: process.cwd(),
    parse: (schema, value) => schema.parse(value),
    secret: (ref, key) => resolveSecret(ref, `target.${key}`),
  };
  const auth = ["-x", "-H", slapd.url, "-D", slapd.bindDn, "-y", slapd.passwordFile];
  const result: Record<string, number> = {};
  try {
    for (const n of sizes) {
      const viaTool = `ou=tool${n},dc=example,dc=nl`;
      const viaApply = `ou=apply${n},dc=example,dc=nl`;
      const ous = path.join(slapd.dir, `ous${n}.ldif`);
      await writeFile(
        ous,
        [viaTool, viaApply]
          .map((dn) => `dn: ${dn}\nobjectClass: organizationalUnit\nou: ${dn.slice(3, dn.indexOf(","))}\n`)
          .join("\n"),
      );
      await run("ldapadd", [...auth, "-f", ous]);

      const file = path.join(slapd.dir, `bench${n}.ldif`);
      await writeFile(file, ldif(Array.from({ length: n }, (_, i) => person(i, viaTool))));
      const toolAdd = await timed(() => run("ldapadd", [...auth, "-f", file], { maxBuffer: 1 << 26 }));

      const target = await createLdapTarget(
        {
          type: "ldap",
          url: slapd.url,
          baseDn: slapd.baseDn,
          peopleBase: viaApply,
          groupsBase: viaApply,
          bindDn: slapd.bindDn,
          bindPassword: { file: slapd.passwordFile },
          pageSize: 1000,
        },
        ctx,
      );
      try {
        const queue = new PQueue({ concurrency: CONCURRENCY });
        const apply = await timed(async () => {
          for (let i = 0; i < n; i++) {
            const p = person(i, viaApply);
            const op: Operation = {
              seq: i,
              kind: "create",
              type: "person",
              key: p.dn,
              attrs: p.attrs,
              fingerprint: null,
            };
            void queue.add(() => target.apply(op));
          }
          await queue.onIdle();
        });
        const toolRead = await timed(() =>
          run(
            "ldapsearch",
            [...auth, "-LLL", "-E", "pr=1000/noprompt", "-b", viaTool, "(objectClass=inetOrgPerson)"],
            {
              maxBuffer: 1 << 30,
            },
          ),
        );
        let count = 0;
        const read = await timed(async () => {
          for await (const _ of target.read()) count++;
        });
        if (count !== n) throw new Error(`read ${count} entries, expected ${n}`);
        result[`ldapadd ${n} per s`] = Math.round(n / toolAdd);
        result[`apply ${n} per s`] = Math.round(n / apply);
        result[`create ratio ${n}`] = Number((toolAdd / apply).toFixed(2));
        result[`ldapsearch ${n} per s`] = Math.round(n / toolRead);
        result[`read ${n} per s`] = Math.round(n / read);
        result[`read ratio ${n}`] = Number((toolRead / read).toFixed(2));
      } finally {
        await target.close();
      }
    }
  } finally {
    await slapd.stop();
  }
  return result;
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const sizes = process.argv.slice(2).map(Number);
  console.table(await benchLdap(sizes.length ? sizes : [10_000]));
}
