import type { Client, Filter } from "ldapts";
import type { TargetEntry } from "../../src/model/target-entry.js";
import { toTargetEntry } from "./entry.js";
import type { ReadEnv } from "./lookup.js";

/** One subtree search of the read: its base and filter. */
export interface ReadScope {
  base: string;
  filter: Filter;
}

/**
 * Reads every entry matching `scope` with the paged results control, `pageSize` entries per
 * round trip, as TargetEntries (entries that are neither person nor group are skipped).
 */
export async function* pagedEntries(
  client: Client,
  scope: ReadScope,
  pageSize: number,
  env: ReadEnv,
  signal?: AbortSignal,
): AsyncGenerator<TargetEntry> {
  const pages = client.searchPaginated(scope.base, {
    scope: "sub",
    filter: scope.filter,
    attributes: ["*"],
    paged: { pageSize },
  });
  for await (const page of pages) {
    signal?.throwIfAborted();
    for (const raw of page.searchEntries) {
      const entry = toTargetEntry(raw, env.classify, env.ignore);
      if (entry) yield entry;
    }
  }
}
