/** A stream as far as colour and progress care: where to write and whether it is a terminal. */
export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Colour helpers; each returns its text unchanged when colour is off. */
export interface Style {
  enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

/**
 * Whether to colour output on `stream`: only on a terminal, and never when `NO_COLOR` is set
 * to a non-empty value (https://no-color.org) or `TERM` is `dumb`.
 */
export function colourEnabled(stream: OutputStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.TERM === "dumb") return false;
  return stream.isTTY === true;
}

const sgr =
  (enabled: boolean, open: number, close: number) =>
  (text: string): string =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;

/**
 * Colour helpers for `stream` that honour `NO_COLOR` and non-terminal output.
 *
 * @example
 * const s = createStyle(process.stderr);
 * process.stderr.write(`${s.green("✓")} plan written\n`);
 */
export function createStyle(stream: OutputStream, env: NodeJS.ProcessEnv = process.env): Style {
  const on = colourEnabled(stream, env);
  return {
    enabled: on,
    bold: sgr(on, 1, 22),
    dim: sgr(on, 2, 22),
    red: sgr(on, 31, 39),
    green: sgr(on, 32, 39),
    yellow: sgr(on, 33, 39),
    cyan: sgr(on, 36, 39),
  };
}
