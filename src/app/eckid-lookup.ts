import type { HashBatchOptions, HashProgress } from "../eckid/hash-pool.js";
import type { PgnKind } from "../eckid/pgn.js";
import { type EckIdIssue, type EckIdService, resolveEckIds } from "../eckid/resolve.js";
import { PersonSchema } from "../model/person.js";

/** The ECK iDs of numbered PGNs, and what could not be resolved (never with a PGN). */
export interface EckIdLookup {
  rows: { line: number; eckId: string | undefined }[];
  issues: EckIdIssue[];
}

/**
 * Hashes the PGNs and asks the Nummervoorziening for their ECK iDs, without a project: nothing
 * is cached or stored. Each value is known by its line (`line:N` in issues).
 * @example const { rows, issues } = await lookUpEckIds(values, { client, kind: () => "auto", hashOptions: { salt } })
 */
export async function lookUpEckIds(
  values: { line: number; pgn: string }[],
  options: {
    client: EckIdService;
    /** What the values are (asked when a value is looked at). */
    kind: () => PgnKind;
    hashOptions: Omit<HashBatchOptions, "onResult" | "progress">;
    batchSize?: number;
    progress?: (p: HashProgress) => void;
  },
): Promise<EckIdLookup> {
  const pgns = new Map(values.map((v) => [String(v.line), v.pgn]));
  const issues: EckIdIssue[] = [];
  const { progress } = options;
  const eckIds = await resolveEckIds(
    values.map((v) => PersonSchema.parse({ source: "line", id: String(v.line) })),
    {
      store: { getValues: async () => new Map(), setValues: async () => {} },
      pgnFor: (p) => pgns.get(p.id),
      pgnKind: options.kind,
      client: options.client,
      ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
      hashOptions: options.hashOptions,
      ...(progress ? { progress: (p) => progress(p.hash) } : {}),
      onIssue: (i) => issues.push(i),
    },
  );
  return { rows: values.map((v) => ({ line: v.line, eckId: eckIds.get(`line:${v.line}`) })), issues };
}
