import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";

/**
 * Makes sure `file` exists with mode 0600 and its directory with mode 0700, before any library
 * opens it: state, plans and journals hold personal data.
 */
export function ensurePrivateFile(file: string): void {
  const dir = path.dirname(file);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!existsSync(file)) closeSync(openSync(file, "a", 0o600));
  chmodSync(file, 0o600);
}

/** Sets mode 0600 on the files that exist among `files`. */
export function restrictFiles(files: string[]): void {
  for (const f of files) if (existsSync(f)) chmodSync(f, 0o600);
}
