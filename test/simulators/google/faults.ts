import { Random } from "../graph/random.js";

/** What can go wrong with a Directory API request. */
export type FaultKind = "429" | "503" | "timeout" | "reset" | "truncate";
export const ALL_FAULTS: FaultKind[] = ["429", "503", "timeout", "reset", "truncate"];

/** How often requests fail, and how. */
export interface FaultSpec {
  /** Probability that a Directory API request fails (0..1). */
  rate: number;
  seed?: number;
  kinds?: FaultKind[];
  /** How long a "timeout" holds the request before dropping the connection. */
  hangMs?: number;
  /** Retry-After of injected 429s, in seconds (none when absent: Google rarely sends one). */
  retryAfterSec?: number;
}

/** Decides, deterministically from a seed, which requests fail and how. */
export class FaultInjector {
  readonly #rnd: Random;
  readonly injected = new Map<FaultKind, number>();

  constructor(readonly spec: FaultSpec) {
    this.#rnd = new Random(spec.seed ?? 7);
  }

  /** The fault for the next request, if any. */
  next(): FaultKind | undefined {
    if (this.spec.rate <= 0 || !this.#rnd.chance(this.spec.rate)) return undefined;
    const kind = this.#rnd.pick(this.spec.kinds ?? ALL_FAULTS);
    this.injected.set(kind, (this.injected.get(kind) ?? 0) + 1);
    return kind;
  }
}
