import { createStyle, type OutputStream } from "./style.js";

export interface ProgressOptions {
  /** What is being done, e.g. "pull entra" or "apply". */
  label: string;
  /** How many items there are, when known (enables percentage, bar and ETA). */
  total?: number;
  /** Where progress goes (default `process.stderr`). */
  stream?: OutputStream;
  /** `--quiet`: print nothing at all. */
  quiet?: boolean;
  /** `--json`: progress and summary as JSON lines instead of text. */
  json?: boolean;
  /** Environment for `NO_COLOR` (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Clock in milliseconds (default `performance.now`), injectable for tests. */
  now?: () => number;
  /** Least time between two lines when not on a terminal, and between JSON lines (default 5 s). */
  logInterval?: number;
  /** Least time between two redraws on a terminal (default 100 ms). */
  redrawInterval?: number;
  /** The progress line in place of the built-in ones (with a bar on a terminal, plain elsewhere). */
  line?: () => string;
}

/** A running progress display. */
export interface Progress {
  /** `n` more items are done (default 1). */
  tick(n?: number): void;
  /** Sets how many items are done, and the total when it became known. */
  update(done: number, total?: number): void;
  /** Prints a line without corrupting the progress line. */
  log(line: string): void;
  /** Ends the display and prints the command's summary line. */
  done(summaryLine: string): void;
}

const BAR_WIDTH = 24;

/**
 * A progress reporter: on a terminal a single line redrawn in place with a bar, counts, rate
 * and ETA; elsewhere a plain line at most every few seconds; nothing with `quiet`; JSON lines
 * with `json`. Colour follows `NO_COLOR` and whether the stream is a terminal.
 *
 * @example
 * const p = createProgress({ label: "apply", total: ops.length });
 * for (const op of ops) { await run(op); p.tick(); }
 * p.done("Applied 1,234 operations, 0 failed.");
 */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const mode = options.quiet ? "quiet" : options.json ? "json" : stream.isTTY ? "tty" : "plain";
  const style = createStyle(stream, options.env);
  const logInterval = options.logInterval ?? 5000;
  const redrawInterval = options.redrawInterval ?? 100;
  const started = now();
  let total = options.total;
  let done = 0;
  let lastShown = mode === "tty" ? Number.NEGATIVE_INFINITY : started;
  let drawn = false;
  let finished = false;

  const stats = () => {
    const elapsed = Math.max(0, now() - started) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const remaining = total !== undefined ? Math.max(0, total - done) : undefined;
    const eta = remaining !== undefined && rate > 0 ? remaining / rate : undefined;
    return { elapsed, rate, eta };
  };

  const ttyLine = (): string => {
    const { rate, eta } = stats();
    const parts = [style.bold(options.label)];
    if (total !== undefined && total > 0) {
      const frac = Math.min(1, done / total);
      const filled = Math.round(frac * BAR_WIDTH);
      parts.push(
        `${style.cyan("█".repeat(filled))}${style.dim("░".repeat(BAR_WIDTH - filled))}`,
        `${count(done)}/${count(total)}`,
        `${(frac * 100).toFixed(0).padStart(3)}%`,
      );
    } else parts.push(count(done));
    if (rate > 0) parts.push(`${count(Math.round(rate))}/s`);
    if (eta !== undefined) parts.push(style.dim(`ETA ${duration(eta)}`));
    return fitToWidth(parts.join("  "), stream.columns);
  };

  const plainLine = (): string => {
    const { rate, eta } = stats();
    const parts: string[] = [];
    if (total !== undefined && total > 0) {
      parts.push(`${count(done)}/${count(total)} (${((done / total) * 100).toFixed(1)}%)`);
    } else parts.push(`${count(done)} done`);
    if (rate > 0) parts.push(`${count(Math.round(rate))}/s`);
    if (eta !== undefined) parts.push(`ETA ${duration(eta)}`);
    return `${options.label}: ${parts.join(", ")}`;
  };

  const clear = () => {
    if (drawn) stream.write("\r\u001b[2K");
    drawn = false;
  };

  const show = (force: boolean) => {
    if (finished || mode === "quiet") return;
    const t = now();
    const interval = mode === "tty" ? redrawInterval : logInterval;
    if (!force && t - lastShown < interval) return;
    lastShown = t;
    if (mode === "tty") {
      stream.write(`\r\u001b[2K${options.line?.() ?? ttyLine()}`);
      drawn = true;
    } else if (mode === "plain") stream.write(`${options.line?.() ?? plainLine()}\n`);
    else {
      const { rate, eta } = stats();
      stream.write(
        `${JSON.stringify({ type: "progress", label: options.label, done, total: total ?? null, rate: round(rate), etaSeconds: eta === undefined ? null : Math.round(eta) })}\n`,
      );
    }
  };

  return {
    tick(n = 1) {
      done += n;
      show(false);
    },
    update(d, t) {
      done = d;
      if (t !== undefined) total = t;
      show(false);
    },
    log(line) {
      if (mode === "quiet" || finished) return;
      if (mode === "json") {
        stream.write(`${JSON.stringify({ type: "log", label: options.label, message: line })}\n`);
        return;
      }
      clear();
      stream.write(`${line}\n`);
      if (mode === "tty") show(true);
    },
    done(summaryLine) {
      if (finished) return;
      finished = true;
      if (mode === "quiet") return;
      if (mode === "json") {
        const { elapsed } = stats();
        stream.write(
          `${JSON.stringify({ type: "done", label: options.label, done, total: total ?? null, elapsedSeconds: round(elapsed), summary: summaryLine })}\n`,
        );
        return;
      }
      clear();
      stream.write(`${summaryLine}\n`);
    },
  };
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Seconds as `42s`, `3:07` or `1:02:03`. */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

/** Cuts a line with colour codes to the terminal width, counting only visible characters. */
function fitToWidth(line: string, columns: number | undefined): string {
  if (!columns || columns < 10) return line;
  let visible = 0;
  let out = "";
  for (let i = 0; i < line.length; i++) {
    if (line[i] === "\u001b") {
      const end = line.indexOf("m", i);
      if (end !== -1) {
        out += line.slice(i, end + 1);
        i = end;
        continue;
      }
    }
    if (visible >= columns - 1) continue;
    out += line[i];
    visible++;
  }
  return out;
}
