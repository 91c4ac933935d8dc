import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Operation } from "../../src/model/operation.js";
import { PlanFileWriter, readPlan } from "../../src/plan/plan-file.js";
import { header } from "../report/fixtures.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Creates whose keys, references and values need escaping in JSON. */
const creates: Operation[] = [
  ["uid=p.puk,ou=people,dc=school,dc=nl", "las:1", { uid: ["p.puk"], cn: ["Piet Puk"] }],
  ['uid=a\\"b,ou=people', 'las:"2"', { description: ['quote " backslash \\ tab \t newline \n'] }],
  ["uid=zoë,ou=people", "las:\u00003", { sn: ["Çelik", "Nguyễn"], givenName: ["\u2028"] }],
].map(([key, ref, attrs], seq) => ({
  seq,
  kind: "create" as const,
  type: "person" as const,
  key: key as string,
  ref: ref as string,
  attrs: attrs as Record<string, string[]>,
  fingerprint: null,
}));

async function written(add: (writer: PlanFileWriter, op: Operation) => void): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), "overstap-writer-"));
  dirs.push(dir);
  const file = path.join(dir, "x.plan");
  const writer = new PlanFileWriter(file);
  for (const op of creates) add(writer, op);
  await writer.finish(header(), []);
  return file;
}

describe("PlanFileWriter.addCreate", () => {
  it("writes the bytes add writes, from a string or from the bytes of a spool row", async () => {
    const whole = await written((w, op) => w.add(op));
    const fromText = await written((w, op) =>
      w.addCreate(op.seq, op.key, op.ref ?? "", JSON.stringify(op.attrs)),
    );
    const fromBytes = await written((w, op) =>
      w.addCreate(op.seq, op.key, op.ref ?? "", Buffer.from(JSON.stringify(op.attrs))),
    );
    expect(readFileSync(fromText, "utf8")).toBe(readFileSync(whole, "utf8"));
    expect(readFileSync(fromBytes, "utf8")).toBe(readFileSync(whole, "utf8"));
    expect((await readPlan(fromBytes)).operations).toEqual(creates);
  });
});
