import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BufferedWriter } from "../../../src/plan/perf/buffered-writer.js";

describe("BufferedWriter", () => {
  it("writes every piece in order, multi-byte text and pieces larger than its buffer included", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "overstap-writer-"));
    try {
      const file = path.join(dir, "out");
      const fd = openSync(file, "w");
      const out = new BufferedWriter(fd);
      const pieces: string[] = [];
      for (let i = 0; i < 200_000; i++)
        pieces.push(i % 1000 === 0 ? `${"Nguyễn Ødegård ".repeat(i % 7)}😀\n` : `${i}\n`);
      pieces.splice(100_000, 0, "é".repeat(3 << 20), "x");
      for (const p of pieces) out.write(p);
      out.flush();
      closeSync(fd);
      expect(readFileSync(file, "utf8")).toBe(pieces.join(""));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
