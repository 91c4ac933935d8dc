import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isOverstapError } from "../../src/errors.js";
import { writeReport } from "../../src/report/write.js";
import { createPerson, header, journaled, review, run } from "./fixtures.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "overstap-report-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const plan = () => ({
  kind: "plan" as const,
  header: header(),
  operations: [createPerson("a", "11ZZ03", "student")],
  review: [review("mapping", "error", { record: "=1+1" })],
});

describe("writeReport", () => {
  it.each(["html", "md", "json", "csv"] as const)("writes a %s file with mode 0600", async (format) => {
    const out = join(dir, `plan.${format}`);
    const result = await writeReport({ ...plan(), format, lang: "nl", out });
    const text = await readFile(out, "utf8");
    expect(result).toEqual({ bytes: Buffer.byteLength(text), out });
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    if (format === "html") expect(text).toContain("Deze fase maakt 1 account aan.");
    if (format === "json") expect(JSON.parse(text).kind).toBe("plan");
    if (format === "csv") expect(text).toContain("'=1+1");
  });

  it("writes to stdout without out", async () => {
    const chunks: string[] = [];
    const op = createPerson("a", "11ZZ03", "student");
    await writeReport({
      kind: "run",
      run: run(),
      journal: journaled("run-7", 0, "done", op),
      format: "md",
      lang: "en",
      stdout: { write: (c: string) => chunks.push(c) },
    });
    expect(chunks.join("")).toContain("overstap rollback run-7");
  });

  it("refuses a CSV of a run and names what to use instead", async () => {
    const err = await writeReport({
      kind: "run",
      run: run(),
      journal: [],
      format: "csv",
      out: join(dir, "x.csv"),
    }).catch((e: unknown) => e);
    expect(isOverstapError(err, "USAGE")).toBe(true);
    expect((err as Error).message).toContain("run-7");
  });

  it("reports a folder that does not exist as REPORT_WRITE, leaving nothing behind", async () => {
    const err = await writeReport({ ...plan(), format: "html", out: join(dir, "missing", "r.html") }).catch(
      (e: unknown) => e,
    );
    expect(isOverstapError(err, "REPORT_WRITE")).toBe(true);
    expect((err as Error).message).toContain("missing");
  });
});
