import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AttributeSpool, type SpoolPart, SpoolReader } from "../../../src/plan/perf/attribute-spool.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function spoolFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "overstap-spool-"));
  dirs.push(dir);
  return path.join(dir, ".x.plan.1.attrs");
}

/** Rows of different shapes, with values a line-based file must survive. */
function rows(n: number): Record<string, string[]>[] {
  const out: Record<string, string[]>[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      i % 3 === 0
        ? { uid: [`p${i}`], sn: ["Nguyễn\nØdegård\t", "Zoë"], objectClass: ["inetOrgPerson", "eduPerson"] }
        : { objectClass: ["inetOrgPerson"], uid: [`p${i}`], description: ["x".repeat(i % 500)] },
    );
  }
  return out;
}

describe("AttributeSpool", () => {
  for (const kind of ["memory", "file"] as const) {
    it(`gives every row back with names, order and values intact (${kind})`, () => {
      const spool = kind === "memory" ? AttributeSpool.inMemory() : AttributeSpool.inFile(spoolFile());
      const data = rows(20_000);
      for (let i = 0; i < data.length; i++) expect(spool.add(data[i] as Record<string, string[]>)).toBe(i);
      const reader = spool.reader();
      const read = (row: number) => reader.read(row);
      for (let i = 0; i < data.length; i++) {
        const attrs = read(i);
        expect(attrs).toEqual(data[i]);
        expect(Object.keys(attrs)).toEqual(Object.keys(data[i] as object));
      }
      spool.close();
    });
  }

  it("skips rows that are not asked for, across chunk boundaries", () => {
    const spool = AttributeSpool.inFile(spoolFile());
    const data = rows(60_000);
    for (const r of data) spool.add(r);
    const reader = spool.reader();
    const read = (row: number) => reader.read(row);
    for (let i = 5; i < data.length; i += 7) expect(read(i)).toEqual(data[i]);
    spool.close();
  });

  it("holds a row longer than its read buffer", () => {
    const spool = AttributeSpool.inFile(spoolFile());
    const big = { description: ["é".repeat(5 << 20)] };
    spool.add({ uid: ["a"] });
    spool.add(big);
    spool.add({ uid: ["c"] });
    const reader = spool.reader();
    const read = (row: number) => reader.read(row);
    expect(read(1)).toEqual(big);
    expect(read(2)).toEqual({ uid: ["c"] });
    spool.close();
  });

  it("reads rows from several spools in the order of their segments", () => {
    const a = AttributeSpool.inFile(spoolFile());
    const b = AttributeSpool.inFile(spoolFile());
    const data = rows(3000);
    const segments: { spool: AttributeSpool; rows: number }[] = [];
    for (let start = 0, n = 1; start < data.length; start += n, n = (n % 7) + 1) {
      const spool = segments.length % 2 === 0 ? a : b;
      const part = data.slice(start, start + n);
      for (const r of part) spool.add(r);
      segments.push({ spool, rows: part.length });
    }
    const parts = new Map([a, b].map((s) => [s, s.part()]));
    const reader = new SpoolReader(
      segments.map((s) => ({ part: parts.get(s.spool) as SpoolPart, rows: s.rows })),
    );
    for (let i = 0; i < data.length; i += 1 + (i % 3)) expect(reader.read(i)).toEqual(data[i]);
    reader.close();
    a.close();
    b.close();
  });

  for (const kind of ["memory", "file"] as const) {
    it(`gives a row's text as JSON.stringify gives the attributes (${kind})`, () => {
      const spool = kind === "memory" ? AttributeSpool.inMemory() : AttributeSpool.inFile(spoolFile());
      const data = rows(30_000);
      for (const r of data) spool.add(r);
      const reader = spool.reader();
      for (let i = 0; i < data.length; i += 1 + (i % 5)) {
        const raw = reader.raw(i);
        const text = typeof raw === "string" ? raw : Buffer.from(raw).toString("utf8");
        expect(text).toBe(JSON.stringify(data[i]));
      }
      spool.close();
    });
  }

  it("refuses to read a file spool backwards", () => {
    const spool = AttributeSpool.inFile(spoolFile());
    spool.add({ uid: ["a"] });
    spool.add({ uid: ["b"] });
    const reader = spool.reader();
    const read = (row: number) => reader.read(row);
    read(1);
    expect(() => read(0)).toThrow(/after row 1/);
    spool.close();
  });

  it("is a private file while it exists and is gone after close", () => {
    const file = spoolFile();
    const spool = AttributeSpool.inFile(file);
    spool.add({ uid: ["a"] });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    spool.close();
    spool.close();
    expect(existsSync(file)).toBe(false);
  });
});
