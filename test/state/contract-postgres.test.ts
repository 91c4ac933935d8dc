import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { migrate } from "../../src/state/pg-migrations.js";
import { openPostgresStore } from "../../src/state/postgres.js";
import { type Postgres, startPostgres } from "../support/postgres.js";
import { storeContract } from "./contract.js";

let server: Postgres;
let admin: pg.Pool;
let next = 0;

beforeAll(async () => {
  server = await startPostgres();
  admin = new pg.Pool({ connectionString: server.url, max: 1 });
});
afterAll(async () => {
  await admin?.end();
  await server?.stop();
});

/** Every check gets a fresh, migrated schema: one institution of its own. */
storeContract("PostgreSQL (a real server, one schema per store)", async () => {
  const schema = `contract_${process.pid}_${next++}`;
  await migrate(admin, schema);
  return openPostgresStore({ client: { connectionString: server.url }, schema, where: "test server" });
});
