/** The first wait after the server was lost; each failed attempt doubles it, up to the cap. */
const FIRST_WAIT_MS = 1_000;
const MAX_WAIT_MS = 60_000;

/**
 * When an offline store may try the server again. Attempts happen on later calls, never on a timer,
 * so an idle runtime makes no connections and no timer keeps its process alive.
 */
export class ReconnectSchedule {
  #failures = 0;
  #nextAt = 0;

  /** True when the next call should try the server. */
  due(now = Date.now()): boolean {
    return now >= this.#nextAt;
  }

  failed(now = Date.now()): void {
    this.#failures += 1;
    this.#nextAt = now + Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** (this.#failures - 1));
  }

  reset(): void {
    this.#failures = 0;
    this.#nextAt = 0;
  }
}
