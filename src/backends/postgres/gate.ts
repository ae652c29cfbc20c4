/**
 * Lets at most `size` operations run at once and queues the rest, without a time limit. The pool's own
 * queue would fail a caller that waits longer than the connect timeout with the very error an
 * unreachable server gives, so a burst of local calls would look like an outage.
 */
export class Gate {
  readonly #size: number;
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(size: number) {
    this.#size = size;
  }

  async run<T>(operation: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#size) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running += 1;
    try {
      return await operation();
    } finally {
      // The slot passes straight to the next waiter, so a newcomer cannot take it in between.
      const next = this.#waiting.shift();
      if (next === undefined) this.#running -= 1;
      else next();
    }
  }
}
