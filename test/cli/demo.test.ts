import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { overstapLine } from "../support/cli.js";

describe("overstap demo", () => {
  it("runs the whole flow and ends with a byte-identical rollback", async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "overstap-demo-test-")), "demo");
    const { code, stdout, stderr } = await overstapLine(["demo", "--dir", dir]);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain("byte-identical to where it started. ✓");
    expect(stdout).toMatch(/Plan: 71 to create, 0 to change, 0 to rename, 1 to disable, 0 to delete/);
    expect(stdout).toMatch(/personeel:P1009 \[mail\].*duplicate/);
    expect(stdout).toMatch(/leerlingen:140166 \[sn\]/);
    // State, plans and reports hold personal data: owner-only.
    for (const f of [".overstap/state.db", "bestuur.plan", "rapport-bestuur.html"]) {
      expect(statSync(path.join(dir, f)).mode & 0o777, f).toBe(0o600);
    }
    const html = readFileSync(path.join(dir, "rapport-bestuur.html"), "utf8");
    expect(html).not.toMatch(/Piet|k\.vanderlinden/);
  });
});
