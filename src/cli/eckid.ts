import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { lookUpEckIds } from "../app/eckid-lookup.js";
import { resolveSecret, type SecretRef } from "../config/secret.js";
import { loadEckidConfig } from "../eckid/config.js";
import { type HashProgress, hashBatch } from "../eckid/hash-pool.js";
import { decodeSalt } from "../eckid/hpgn.js";
import { connectNummervoorziening } from "../eckid/nummervoorziening.js";
import type { PgnKind } from "../eckid/pgn.js";
import { formatHashProgress } from "../eckid/progress.js";
import { OverstapError } from "../errors.js";
import { createProgress } from "../report/progress.js";
import { action } from "./action.js";
import { type GlobalOptions, say, sayJson } from "./output.js";

const KINDS = ["bsn", "onderwijsnummer", "staff", "auto"];
const MIB = 1024 * 1024;

interface InputOptions {
  file?: string;
  kind?: string;
}

/** The values to work on, numbered by line: VALUE, a file, or stdin (`-`). */
async function readValues(
  value: string | undefined,
  options: InputOptions,
): Promise<{ line: number; pgn: string }[]> {
  if ((value === undefined) === (options.file === undefined)) {
    throw new OverstapError("USAGE", "give either a VALUE or --file FILE (use - for stdin)");
  }
  let text: string;
  if (value !== undefined && value !== "-") text = value;
  else if (value === "-" || options.file === "-") text = await readStdin();
  else {
    try {
      text = await readFile(options.file as string, "utf8");
    } catch (err) {
      throw new OverstapError("USAGE", `cannot read ${options.file}`, { cause: err });
    }
  }
  return text
    .split(/\r?\n/)
    .map((pgn, i) => ({ line: i + 1, pgn }))
    .filter((v) => v.pgn.trim() !== "");
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function kindOf(options: InputOptions): PgnKind {
  const kind = options.kind ?? "auto";
  if (!KINDS.includes(kind))
    throw new OverstapError("USAGE", `--kind must be one of ${KINDS.join(", ")}, got ${kind}`);
  return kind as PgnKind;
}

function saltRef(opts: Record<string, unknown>): SecretRef | undefined {
  if (opts.saltEnv !== undefined && opts.saltFile !== undefined) {
    throw new OverstapError("USAGE", "give --salt-env or --salt-file, not both");
  }
  if (typeof opts.saltEnv === "string") return { env: opts.saltEnv };
  if (typeof opts.saltFile === "string") return { file: opts.saltFile };
  return undefined;
}

function poolOptions(opts: Record<string, unknown>) {
  const out: { concurrency?: number; memoryLimitBytes?: number } = {};
  if (opts.concurrency !== undefined) out.concurrency = Number(opts.concurrency);
  if (opts.memoryLimit !== undefined) out.memoryLimitBytes = Number(opts.memoryLimit) * MIB;
  return out;
}

/**
 * Hashing progress on stderr ({@link formatHashProgress} lines): redrawn in place on a terminal,
 * a line every 10 s otherwise, the last one when all is done; nothing with --quiet or --json.
 */
function progressPrinter(opts: GlobalOptions): (p: HashProgress) => void {
  let latest: HashProgress | undefined;
  const display = createProgress({
    label: "eckid",
    quiet: opts.quiet === true || opts.json === true,
    logInterval: 10_000,
    line: () => formatHashProgress(latest as HashProgress),
  });
  return (p) => {
    latest = p;
    if (p.done === p.total) display.done(formatHashProgress(p));
    else display.update(p.done, p.total);
  };
}

function withInputOptions(cmd: Command): Command {
  return cmd
    .argument("[value]", "one PGN (BSN, onderwijsnummer or staff form), or - to read lines from stdin")
    .option("--file <file>", "one PGN per line (- for stdin)")
    .option("--kind <kind>", `what the values are: ${KINDS.join(", ")}`, "auto")
    .option("--salt-env <name>", "environment variable holding the base64 salt")
    .option("--salt-file <file>", "file holding the base64 salt")
    .option("--concurrency <n>", "hashing threads (default: cores, bounded by memory)")
    .option("--memory-limit <MiB>", "memory the hashes may use together (default: half of the machine's)");
}

/** Registers `overstap eckid hash` and `overstap eckid fetch`. */
export function register(program: Command): void {
  const eckid = program.command("eckid").description("HPGN and Nummervoorziening look-ups (ECK iD)");

  withInputOptions(eckid.command("hash"))
    .description(
      "compute the HPGN (scrypt, Kennisnet's parameters) of PGNs; the salt never on the command line",
    )
    .addHelpText(
      "after",
      "\nExamples:\n  OVERSTAP_ECKID_SALT=… overstap eckid hash --salt-env OVERSTAP_ECKID_SALT --file pgns.txt\n  overstap eckid hash - --salt-file salt.txt < pgns.txt",
    )
    .action(
      action(async (opts, value: string | undefined) => {
        const ref = saltRef(opts);
        if (ref === undefined)
          throw new OverstapError("USAGE", "give the salt with --salt-env NAME or --salt-file FILE");
        const salt = decodeSalt(
          await resolveSecret(ref, "--salt"),
          ref && "env" in ref ? `--salt-env ${ref.env}` : "--salt-file",
        );
        const values = await readValues(value, opts as InputOptions);
        const results = new Map<number, { hpgn?: string; error?: string }>();
        const items = values.map((v) => ({ ref: `line ${v.line}`, pgn: v.pgn }));
        for await (const r of hashBatch(items, {
          salt,
          kind: kindOf(opts as InputOptions),
          ...poolOptions(opts),
          progress: progressPrinter(opts),
        })) {
          const line = Number(r.ref.slice(5));
          results.set(line, "hpgn" in r ? { hpgn: r.hpgn } : { error: r.error.message });
        }
        const ordered = [...results.entries()].sort(([a], [b]) => a - b);
        if (opts.json) sayJson(ordered.map(([line, r]) => ({ line, ...r })));
        else {
          for (const [, r] of ordered) if (r.error) process.stderr.write(`${r.error}\n`);
          const single = value !== undefined && value !== "-";
          for (const [line, r] of ordered) if (r.hpgn) say({}, single ? r.hpgn : `${line}\t${r.hpgn}`);
        }
        return ordered.some(([, r]) => r.error) ? 1 : 0;
      }),
    );

  withInputOptions(eckid.command("fetch"))
    .description(
      "get ECK iDs for PGNs from the Nummervoorziening (config section `eckid`), or check the service",
    )
    .option("--ping", "only check that the service answers (and that TLS works)")
    .option("--chains", "list the chains the service knows")
    .option("--sectors", "list the sectors the service knows")
    .addHelpText(
      "after",
      "\nExamples:\n  overstap eckid fetch --ping\n  overstap eckid fetch --file pgns.txt --json",
    )
    .action(
      action(async (opts, value: string | undefined) => {
        const { config, baseDir } = await loadEckidConfig(opts.config);
        const client = await connectNummervoorziening(config, baseDir);
        try {
          if (opts.ping || opts.chains || opts.sectors) {
            const out: Record<string, unknown> = {};
            if (opts.ping) out.ping = await client.ping();
            if (opts.chains) out.chains = await client.retrieveChains();
            if (opts.sectors) out.sectors = await client.retrieveSectors();
            if (opts.json) sayJson(out);
            else say(opts, JSON.stringify(out, null, 2));
            return 0;
          }
          const ref = saltRef(opts) ?? config.salt;
          const salt = decodeSalt(await resolveSecret(ref, "eckid.salt", baseDir), "eckid.salt");
          const values = await readValues(value, opts as InputOptions);
          const { rows, issues } = await lookUpEckIds(values, {
            client,
            kind: () => kindOf(opts as InputOptions),
            batchSize: config.batchSize,
            hashOptions: { salt, ...poolOptions(opts) },
            progress: progressPrinter(opts),
          });
          if (opts.json) sayJson({ eckIds: rows, issues });
          else {
            for (const i of issues) process.stderr.write(`${i.ref}: ${i.reason}\n`);
            for (const r of rows) if (r.eckId) say({}, `${r.line}\t${r.eckId}`);
          }
          return issues.length > 0 ? 1 : 0;
        } finally {
          client.close();
        }
      }),
    );
}
