import type { HashProgress } from "./hash-pool.js";

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/**
 * One line about a hashing batch, with the ETA measured from the hashes completed so far.
 *
 * @example
 * formatHashProgress(p); // "42/200 done (1 invalid), 0.9 s per hash, about 2 min 22 s left"
 */
export function formatHashProgress(p: HashProgress): string {
  const invalid = p.failed > 0 ? ` (${p.failed} invalid)` : "";
  const head = `${p.done}/${p.total} done${invalid}`;
  if (p.perHashMs === undefined || p.etaMs === undefined) return `${head}, measuring speed…`;
  return `${head}, ${(p.perHashMs / 1000).toFixed(1)} s per hash, about ${duration(p.etaMs)} left`;
}
