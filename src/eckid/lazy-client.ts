import type { EckidConfig } from "./config.js";
import { connectNummervoorziening, type NummervoorzieningClient } from "./nummervoorziening.js";
import type { EckIdService } from "./resolve.js";

/**
 * The ECK iD operations of the configured Nummervoorziening, connecting (reading the
 * certificate and key) only on the first call: a plan that finds every ECK iD carried over,
 * in the target or cached makes no connection at all.
 *
 * @example
 * const service = lazyEckIdService(config.eckid, loaded.baseDir);
 * try { await resolveEckIds(persons, { client: service, … }); } finally { service.close(); }
 */
export function lazyEckIdService(config: EckidConfig, baseDir: string): EckIdService & { close(): void } {
  let client: Promise<NummervoorzieningClient> | undefined;
  const get = () => {
    client ??= connectNummervoorziening(config, baseDir);
    return client;
  };
  return {
    retrieveStampseudonym: async (hpgn) => (await get()).retrieveStampseudonym(hpgn),
    retrieveEckId: async (stampseudonym, ids) => (await get()).retrieveEckId(stampseudonym, ids),
    submitStampseudonymBatch: async (hpgns) => (await get()).submitStampseudonymBatch(hpgns),
    submitEckIdBatch: async (stampseudonyms, ids) => (await get()).submitEckIdBatch(stampseudonyms, ids),
    retrieveBatch: async (batch, signal) => (await get()).retrieveBatch(batch, signal),
    close() {
      void client?.then(
        (c) => c.close(),
        () => undefined,
      );
    },
  };
}
