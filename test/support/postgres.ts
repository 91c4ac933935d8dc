import { execFile } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { freePort } from "./free-port.js";

const run = promisify(execFile);
const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../scripts/postgres.sh");

/** A running throwaway PostgreSQL cluster (scripts/postgres.sh) and how to reach it. */
export interface Postgres {
  /** `postgres://overstap@127.0.0.1:PORT/postgres` (trust authentication on loopback). */
  url: string;
  port: number;
  dir: string;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
  /** Stops the server, keeping its data (start it again with `start`). */
  halt(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and starts it again on the same port with the same data. */
  restart(): Promise<void>;
}

/**
 * Starts a fresh PostgreSQL cluster on a free 127.0.0.1 port in a temporary folder. Any failure
 * throws (also when PostgreSQL is not installed), so a test that needs the server fails instead
 * of silently skipping.
 * @example const pg = await startPostgres(); afterAll(() => pg.stop());
 */
export async function startPostgres(): Promise<Postgres> {
  const dir = await mkdtemp(path.join(tmpdir(), "overstap-pg-"));
  await chmod(dir, 0o755);
  const port = await freePort();
  const start = async () => {
    await run("bash", [script, "start", dir, String(port)], { timeout: 90_000 });
  };
  const halt = async () => {
    await run("bash", [script, "stop", dir], { timeout: 90_000 });
  };
  try {
    await start();
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    const e = err as { stderr?: string; message?: string };
    throw new Error(`could not start PostgreSQL (scripts/postgres.sh): ${e.stderr || e.message}`, {
      cause: err,
    });
  }
  return {
    url: `postgres://overstap@127.0.0.1:${port}/postgres`,
    port,
    dir,
    halt,
    start,
    restart: async () => {
      await halt();
      await start();
    },
    stop: async () => {
      await halt();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
