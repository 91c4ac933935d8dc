import { type ChildProcess, execFile, type SpawnOptions, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BUILT = path.join(ROOT, "dist/src/cli/main.js");

/** The newest modification time of the TypeScript files under `dirs` (relative to the repository). */
function newestSource(dirs: string[]): number {
  let newest = 0;
  for (const dir of dirs) {
    for (const name of readdirSync(path.join(ROOT, dir), { recursive: true }) as string[]) {
      if (name.endsWith(".ts")) newest = Math.max(newest, statSync(path.join(ROOT, dir, name)).mtimeMs);
    }
  }
  return newest;
}

/**
 * How to start the CLI: the build in `dist/` when it exists and is newer than every source file
 * (`npm test` builds it first), else the sources through tsx, which costs about a second more
 * per process.
 */
export function cliCommand(): { args: string[]; built: boolean } {
  if (existsSync(BUILT) && statSync(BUILT).mtimeMs >= newestSource(["src", "connectors"])) {
    return { args: [BUILT], built: true };
  }
  return { args: ["--import", "tsx", path.join(ROOT, "src/cli/main.ts")], built: false };
}

const CLI = cliCommand();

/** What a finished CLI process left: exit code (null when killed), signal, output. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `overstap -c CONFIG ARGS…` to the end and returns its exit code and output; never
 * throws for a non-zero exit (the caller asserts the code).
 */
export function overstap(config: string, ...args: string[]): Promise<CliResult> {
  return overstapLine(["-c", config, ...args]);
}

/**
 * Runs `overstap ARGS…` (the arguments as a hint prints them after `overstap`) to the end, in
 * `cwd` when given; never throws for a non-zero exit.
 */
export function overstapLine(args: string[], cwd?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...CLI.args, ...args],
      { maxBuffer: 1 << 26, env: { ...process.env, NO_COLOR: "1" }, ...(cwd ? { cwd } : {}) },
      (err, stdout, stderr) => {
        if (typeof err?.code === "string") reject(err);
        else
          resolve({
            code: err ? (err.code ?? null) : 0,
            signal: (err?.signal as NodeJS.Signals | undefined) ?? null,
            stdout,
            stderr,
          });
      },
    );
  });
}

/**
 * Starts `overstap ARGS…` without waiting for it, with `options` as `spawn` takes them (colour
 * off; `env` is added to this process's environment); the one way tests start the CLI.
 */
export function startOverstap(args: string[], options: SpawnOptions = {}): ChildProcess {
  return spawn(process.execPath, [...CLI.args, ...args], {
    ...options,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
  });
}

/** Starts `overstap -c CONFIG ARGS…` without waiting for it; stdout is ignored, stderr kept. */
export function spawnOverstap(config: string, ...args: string[]): ChildProcess {
  return startOverstap(["-c", config, ...args], { stdio: ["ignore", "ignore", "pipe"] });
}

/** True when {@link overstap} runs the `dist/` build rather than the sources. */
export const cliIsBuilt = CLI.built;
