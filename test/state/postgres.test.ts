import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultSchemaName } from "../../src/config/state.js";
import { redactUrl } from "../../src/state/pg-config.js";
import { migrate, SCHEMA_VERSION } from "../../src/state/pg-migrations.js";
import { openPostgresStore } from "../../src/state/postgres.js";
import { overstapLine } from "../support/cli.js";
import { type Postgres, startPostgres } from "../support/postgres.js";
import { writePostgresProject } from "../support/postgres-config.js";
import { person } from "./contract.js";

let server: Postgres;
let admin: pg.Pool;
beforeAll(async () => {
  server = await startPostgres();
  admin = new pg.Pool({ connectionString: server.url, max: 1 });
});
afterAll(async () => {
  await admin?.end();
  await server?.stop();
});

const open = (schema: string) =>
  openPostgresStore({ client: { connectionString: server.url }, schema, where: "test server" });

describe("the PostgreSQL state store", () => {
  it("refuses a schema that is behind, telling to run `overstap state migrate`", async () => {
    await expect(open("never_migrated")).rejects.toMatchObject({
      code: "STATE_INVALID",
      hint: expect.stringContaining("overstap state migrate"),
    });
  });

  it("migrates once: a second migrate applies nothing", async () => {
    expect(await migrate(admin, "twice")).toEqual([1, 2]);
    expect(await migrate(admin, "twice")).toEqual([]);
  });

  it("keeps institutions apart: nothing of one schema is visible through another", async () => {
    await migrate(admin, "school_a");
    await migrate(admin, "school_b");
    const a = await open("school_a");
    const b = await open("school_b");
    try {
      await a.setValues("ids", [["k", "a"]]);
      await a.ingest("las", [
        { type: "person", person: person("1", "An") },
        { type: "checkpoint", checkpoint: null, done: true },
      ]);
      expect(await b.countValues("ids")).toBe(0);
      expect(await b.sourceInfo("las")).toBeNull();
      expect(await a.snapshotHash()).not.toBe(await b.snapshotHash());
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("an unreachable server is STATE_UNREACHABLE, its URL's password never shown", async () => {
    const url = "postgres://u:s3cret@127.0.0.1:1/db";
    const err = await openPostgresStore({
      client: { connectionString: url },
      schema: "x",
      where: redactUrl(url),
    }).catch((e: unknown) => e as Error);
    expect(err).toMatchObject({ code: "STATE_UNREACHABLE" });
    expect(String((err as Error).message)).not.toContain("s3cret");
    expect(defaultSchemaName("Stichting Één & Twee")).toBe("overstap_stichting_een_twee");
  });
});

describe("overstap state migrate and doctor", () => {
  it("doctor reports the schema behind, migrate brings it up, doctor reports it current", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "overstap-pg-cli-"));
    const config = writePostgresProject(dir, "cli_school");
    const env = { OVERSTAP_PG_URL: server.url };
    Object.assign(process.env, env);
    const before = await overstapLine(["-c", config, "--json", "doctor"]);
    expect(before.stdout).toMatch(/schema cli_school at version 0/);
    const migrated = await overstapLine(["-c", config, "state", "migrate"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toContain(`now at version ${SCHEMA_VERSION}`);
    expect(migrated.stdout).not.toContain("s3cret");
    const after = await overstapLine(["-c", config, "--json", "doctor"]);
    expect(after.stdout).toMatch(new RegExp(`schema cli_school at version ${SCHEMA_VERSION} \\(current\\)`));
  });
});
