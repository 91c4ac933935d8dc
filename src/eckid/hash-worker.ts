/**
 * The source of one hashing worker, run with `eval` so the pool works the same from the
 * TypeScript sources (tsx, vitest) and from the built JavaScript. It hashes one PGN at a time
 * on its own thread with scryptSync, exactly as `hpgnSync` does (lowercase, UTF-8).
 */
export const HASH_WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { scryptSync } = require("node:crypto");
const { N, r, p, dkLen, maxmem } = workerData.params;
const salt = Buffer.from(workerData.salt);
parentPort.on("message", (msg) => {
  try {
    const key = scryptSync(Buffer.from(msg.pgn.toLowerCase(), "utf8"), salt, dkLen, { N, r, p, maxmem });
    parentPort.postMessage({ id: msg.id, hpgn: key.toString("hex") });
  } catch (err) {
    parentPort.postMessage({ id: msg.id, error: err && err.code ? err.code : "scrypt failed" });
  }
});
`;
