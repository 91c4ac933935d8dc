import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { freePort } from "./free-port.js";

const run = promisify(execFile);
const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../scripts/slapd.sh");

/** A running throwaway slapd (scripts/slapd.sh) and how to reach it. */
export interface Slapd {
  url: string;
  ldapsUrl: string;
  caFile: string;
  baseDn: string;
  bindDn: string;
  password: string;
  passwordFile: string;
  dir: string;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
  /** Stops the server and starts it again on the same ports with the same data. */
  restart(): Promise<void>;
  /** Stops the server, keeping its data (start it again with `start`). */
  halt(): Promise<void>;
  start(): Promise<void>;
}

/**
 * Starts a fresh slapd on free 127.0.0.1 ports (plain and LDAPS) in a temporary folder. Any
 * failure throws, so a test that needs the server fails instead of silently skipping.
 * @example const slapd = await startSlapd(); afterAll(() => slapd.stop());
 */
export async function startSlapd(): Promise<Slapd> {
  const dir = await mkdtemp(path.join(tmpdir(), "overstap-slapd-"));
  const port = await freePort();
  const ldapsPort = await freePort();
  const start = async () => {
    await run("bash", [script, "start", dir, String(port), String(ldapsPort)], { timeout: 60_000 });
  };
  const halt = async () => {
    await run("bash", [script, "stop", dir], { timeout: 60_000 });
  };
  try {
    await start();
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    const e = err as { stderr?: string; message?: string };
    throw new Error(`could not start slapd (scripts/slapd.sh): ${e.stderr || e.message}`, { cause: err });
  }
  const passwordFile = path.join(dir, "password");
  return {
    url: `ldap://127.0.0.1:${port}`,
    ldapsUrl: `ldaps://127.0.0.1:${ldapsPort}`,
    caFile: path.join(dir, "tls/ca.pem"),
    baseDn: "dc=example,dc=nl",
    bindDn: "cn=admin,dc=example,dc=nl",
    password: await readFile(passwordFile, "utf8"),
    passwordFile,
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
