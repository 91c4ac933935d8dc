import { randomBytes } from "node:crypto";
import {
  chmodSync,
  closeSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmSync,
} from "node:fs";
import path from "node:path";
import { OverstapError } from "../errors.js";

const { O_CREAT, O_EXCL, O_NOFOLLOW, O_RDWR, O_WRONLY } = constants;

/** Flags of a file created here: it must not exist yet, and a link in its place is never followed. */
const EXCLUSIVE = O_CREAT | O_EXCL | O_NOFOLLOW;

/** The suffixes of a plan's working files (see {@link workingPath}). */
const WORKING = /^\.(.+)\.(\d+)\.[0-9a-f]{12}\.(ops|tmp|attrs(?:\.\d+)?)$/;

/**
 * Makes sure `file` exists with mode 0600 and its directory with mode 0700, before any library
 * opens it: state, plans and journals hold personal data. A new file is created exclusively; a
 * symbolic link at its name is refused, never followed.
 */
export function ensurePrivateFile(file: string): void {
  const dir = path.dirname(file);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(file, EXCLUSIVE | O_WRONLY, 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  restrictFiles([file]);
}

/**
 * Creates `file` for writing: exclusively (it must not exist), without following a link in its
 * place, mode 0600, its directory made (0700) when missing. Returns the descriptor.
 */
export function createPrivateFile(file: string, read = false): number {
  const dir = path.dirname(file);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    return openSync(file, EXCLUSIVE | (read ? O_RDWR : O_WRONLY), 0o600);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new OverstapError(
      "STATE_INVALID",
      code === "EEXIST" || code === "ELOOP"
        ? `${file} exists already (or is a link); Overstap creates its working files only anew`
        : `cannot create ${file}: ${(err as Error).message}`,
      { cause: err, hint: "Choose a folder that only you can write to." },
    );
  }
}

/**
 * A private working file next to `file`, with an unpredictable name that carries this process's
 * id: `.NAME.PID.RANDOM.SUFFIX`. {@link removeStaleWorkingFiles} removes those of dead processes.
 */
export function workingPath(file: string, suffix: string): string {
  const name = `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString("hex")}.${suffix}`;
  return path.join(path.dirname(path.resolve(file)), name);
}

/**
 * Removes the working files (spools, half-written plans) that a killed `plan` left in `dir`:
 * regular files of this user whose process no longer runs. Returns how many were removed.
 */
export function removeStaleWorkingFiles(dir: string): number {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const pid = Number(WORKING.exec(name)?.[2]);
    if (!pid || alive(pid)) continue;
    const file = path.join(dir, name);
    const stat = lstatSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile() || (process.getuid && stat.uid !== process.getuid())) continue;
    rmSync(file, { force: true });
    removed++;
  }
  return removed;
}

/**
 * Sets mode 0600 on the files that exist among `files`, refusing links. By path, never through
 * a descriptor: closing one would drop SQLite's POSIX locks on a database this process has open.
 */
export function restrictFiles(files: string[]): void {
  for (const f of files) {
    if (!existsSync(f)) continue;
    refuseLink(f);
    chmodSync(f, 0o600);
  }
}

function refuseLink(file: string): void {
  if (lstatSync(file).isSymbolicLink()) {
    throw new OverstapError(
      "STATE_INVALID",
      `${file} is a symbolic link; Overstap does not write through links`,
      {
        hint: "Remove the link, or point the configuration at the real file.",
      },
    );
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
