interface Waiter {
  cost: number;
  resolve(ticket: number): void;
  reject(reason: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/**
 * The client's side of a service's unit quota (Graph's resource units, Google's quota units):
 * a token bucket of `capacity` units refilled evenly over `windowMs`, spent before each request
 * is sent so the service never has to refuse one. Waiters are served first come, first served
 * within two lanes; the priority lane (requests that continue a sequential chain of pages) goes
 * before the fan-out lane, so a long run of small requests cannot starve the one page
 * everything else waits for.
 *
 * The service counts a request when it arrives, the client when it sends, and a full bucket
 * wastes its refill. Whatever the client has spent on requests not yet answered may not have
 * reached the service, whose bucket may then be fuller, up to full and wasting refill, than the
 * client's. So the client's bucket holds at most the capacity less the units of the requests
 * not yet answered ({@link UnitBudget.settled}); it then never counts refill the service may have
 * wasted, and never runs ahead of the service, however slowly the requests travel.
 */
export class UnitBudget {
  readonly #capacity: number;
  readonly #ratePerMs: number;
  #tokens: number;
  #at = performance.now();
  #pausedUntil = 0;
  readonly #lanes: [Waiter[], Waiter[]] = [[], []];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #tickets = 0;
  /** Units of each request spent for and not yet answered, by ticket, and their sum. */
  readonly #unanswered = new Map<number, number>();
  #unansweredUnits = 0;

  /** A bucket of `capacity` units (a positive integer), refilled over `windowMs`. */
  constructor(capacity: number, windowMs = 10_000) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new TypeError(`the unit capacity must be a positive integer, got ${capacity}`);
    }
    this.#capacity = capacity;
    this.#ratePerMs = capacity / windowMs;
    this.#tokens = capacity;
  }

  /**
   * Waits until `cost` units are available and takes them; `priority` waiters go first.
   * Resolves with a ticket to hand to {@link UnitBudget.settled} once the request is answered.
   */
  take(cost: number, signal?: AbortSignal, priority = false): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const lane = this.#lanes[priority ? 0 : 1];
      const waiter: Waiter = { cost: Math.min(cost, this.#capacity), resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const i = lane.indexOf(waiter);
          if (i >= 0) lane.splice(i, 1);
          reject(signal.reason);
          this.#serve();
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      lane.push(waiter);
      this.#serve();
    });
  }

  /** The request of `ticket` got an answer (or failed): the service has counted it. */
  settled(ticket: number): void {
    const cost = this.#unanswered.get(ticket);
    if (cost === undefined) return;
    this.#refill(performance.now());
    this.#unanswered.delete(ticket);
    this.#unansweredUnits -= cost;
    this.#serve();
  }

  /** Stops spending for `ms` (the service said Retry-After) and empties the bucket. */
  pause(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, performance.now() + ms);
    this.#tokens = 0;
    this.#at = this.#pausedUntil;
    this.#serve();
  }

  /** Adds the refill since the last call, up to the capacity less the unanswered units. */
  #refill(now: number): void {
    if (now <= this.#at) return;
    const room = this.#capacity - this.#unansweredUnits;
    if (this.#tokens < room) {
      this.#tokens = Math.min(room, this.#tokens + (now - this.#at) * this.#ratePerMs);
    }
    this.#at = now;
  }

  #serve(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (;;) {
      const lane = this.#lanes[0].length > 0 ? this.#lanes[0] : this.#lanes[1];
      const next = lane[0];
      if (!next) return;
      const now = performance.now();
      if (now < this.#pausedUntil) {
        this.#timer = setTimeout(() => this.#serve(), this.#pausedUntil - now);
        return;
      }
      this.#refill(now);
      if (this.#tokens < next.cost) {
        // Without room to grow, only an answer (settled) brings more units.
        if (this.#capacity - this.#unansweredUnits >= next.cost) {
          this.#timer = setTimeout(() => this.#serve(), (next.cost - this.#tokens) / this.#ratePerMs);
        }
        return;
      }
      const ticket = ++this.#tickets;
      this.#tokens -= next.cost;
      this.#unanswered.set(ticket, next.cost);
      this.#unansweredUnits += next.cost;
      lane.shift();
      if (next.onAbort) next.signal?.removeEventListener("abort", next.onAbort);
      next.resolve(ticket);
    }
  }
}

/** Resolves after `ms`, or rejects when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(
      () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
