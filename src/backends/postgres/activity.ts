/** Counts operations in flight, so that a switch of stores can wait until none still uses the old one. */
export class Activity {
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  /** Counts the operation from this very call (synchronously) until it settles. */
  async track<T>(operation: () => Promise<T>): Promise<T> {
    this.#running += 1;
    try {
      return await operation();
    } finally {
      this.#running -= 1;
      if (this.#running === 0) for (const wake of this.#waiting.splice(0)) wake();
    }
  }

  /** Resolves once no tracked operation runs. */
  idle(): Promise<void> {
    return this.#running === 0 ? Promise.resolve() : new Promise((resolve) => this.#waiting.push(resolve));
  }
}
