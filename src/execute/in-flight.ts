/**
 * Counts tasks started and not yet settled, and lets one caller wait until at most `n` are
 * left: the executor uses it to journal the next batch while the current one is still running.
 * @example const running = new InFlight(); running.track(task); await running.atMost(0);
 */
export class InFlight {
  #count = 0;
  #waiter: { n: number; resolve: () => void } | undefined;

  /** Counts `task` until it settles. */
  track(task: Promise<unknown>): void {
    this.#count++;
    const settled = () => {
      this.#count--;
      const waiter = this.#waiter;
      if (waiter && this.#count <= waiter.n) {
        this.#waiter = undefined;
        waiter.resolve();
      }
    };
    task.then(settled, settled);
  }

  /** Resolves once at most `n` tracked tasks are unsettled. One waiter at a time. */
  atMost(n: number): Promise<void> {
    if (this.#count <= n) return Promise.resolve();
    if (this.#waiter) throw new TypeError("InFlight: only one caller may wait at a time");
    return new Promise((resolve) => {
      this.#waiter = { n, resolve };
    });
  }
}
