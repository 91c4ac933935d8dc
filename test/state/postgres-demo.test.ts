import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCHEMA_VERSION } from "../../src/state/pg-migrations.js";
import { overstapLine } from "../support/cli.js";
import { type Postgres, startPostgres } from "../support/postgres.js";

let server: Postgres;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.stop();
});

describe("overstap demo with the state in PostgreSQL", () => {
  it("pulls, plans, applies and rolls back to a byte-identical directory", async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "overstap-pg-demo-")), "demo");
    process.env.OVERSTAP_PG_URL = server.url;
    const { code, stdout, stderr } = await overstapLine(["demo", "--dir", dir, "--postgres", "demo_board"]);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain(`schema demo_board (version ${SCHEMA_VERSION})`);
    expect(stdout).toContain("byte-identical to where it started. ✓");
    expect(stdout).toMatch(/Plan: 71 to create, 0 to change, 0 to rename, 1 to disable, 0 to delete/);
    const db = new pg.Client({ connectionString: server.url });
    await db.connect();
    try {
      const runs = await db.query("SELECT count(*)::int AS n FROM demo_board.runs");
      expect(runs.rows[0].n).toBe(4);
    } finally {
      await db.end();
    }
  });
});
