/** The period of the timer that watches the event loop, as the issue measured it. */
export const TICK_MS = 5;

/**
 * Watches this process's event loop with a timer firing every TICK_MS: a tick that comes late was held
 * up by synchronous work. The longest stall is the largest gap between two ticks, less the period.
 */
export class StallMonitor {
  #last = 0;
  #longest = 0;
  #timer: NodeJS.Timeout | undefined;

  start(): void {
    this.#last = performance.now();
    this.#longest = 0;
    this.#timer = setInterval(() => {
      const now = performance.now();
      this.#longest = Math.max(this.#longest, now - this.#last - TICK_MS);
      this.#last = now;
    }, TICK_MS);
  }

  /** Stops watching; returns the longest stall in ms, the time since the last tick included. */
  stop(): number {
    clearInterval(this.#timer);
    return Math.max(this.#longest, performance.now() - this.#last - TICK_MS, 0);
  }
}

/**
 * What the caller does between two records in the stall cases: it yields to the event loop (an agent
 * runtime has other tasks) and does a little work of its own, so that the store's deferred work runs
 * while the caller is live, as it would in a runtime.
 */
export async function otherWork(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  JSON.parse(JSON.stringify({ work: Array.from({ length: 20 }, (_, index) => index) }));
}
