import { Random } from "./random.js";

/** What can go wrong with a Graph request, and how often. */
export interface FaultSpec {
  /** Probability that a Graph request fails in one of the ways below (0..1). */
  rate: number;
  seed?: number;
  /** Retry-After of injected 429s, in seconds. */
  retryAfterSec?: number;
  /** How long a "timeout" fault holds the request before dropping it. */
  hangMs?: number;
  kinds?: FaultKind[];
}

export type FaultKind = "429" | "503" | "504" | "timeout" | "reset" | "truncate" | "badjson";

export const ALL_FAULTS: FaultKind[] = ["429", "503", "504", "timeout", "reset", "truncate", "badjson"];

/** Decides, deterministically from a seed, which requests fail and how. */
export class FaultInjector {
  readonly #rnd: Random;
  readonly injected = new Map<FaultKind, number>();

  constructor(readonly spec: FaultSpec) {
    this.#rnd = new Random(spec.seed ?? 99);
  }

  /** The fault for the next request, if any. */
  next(): FaultKind | undefined {
    if (this.spec.rate <= 0 || !this.#rnd.chance(this.spec.rate)) return undefined;
    const kind = this.#rnd.pick(this.spec.kinds ?? ALL_FAULTS);
    this.injected.set(kind, (this.injected.get(kind) ?? 0) + 1);
    return kind;
  }
}
