import { setTimeout as sleep } from 'node:timers/promises';
import { isBusy, lockedError } from './sqlite-errors.js';

/**
 * The busy timeout each connection hands to SQLite itself. Zero: SQLite's busy handler sleeps inside
 * the synchronous call, which freezes every task of this process for as long as another process holds
 * the lock. A step that finds the database busy returns at once, and waitWhileBusy waits on a timer.
 */
export const CONNECTION_BUSY_TIMEOUT_MS = 0;

/** The first retry comes soon (most transactions of other writers last well under a millisecond)... */
const FIRST_DELAY_MS = 1;
/**
 * ...and later ones no further apart than this. A cap this low keeps a waiter that has waited long
 * polling as often as one that just arrived, so none starves behind newer ones; an attempt costs a
 * few microseconds, so polling this often costs nothing that matters.
 */
const MAX_DELAY_MS = 8;

export interface BusyWaitContext {
  file: string;
  busyTimeoutMs: number;
}

/**
 * Runs a synchronous database step that is safe to repeat when it failed busy (a transaction that rolled
 * back, an open that closed its connection). While another connection holds the lock it needs, waits on
 * a timer (exponential backoff with full jitter, capped), never in SQLite's busy handler, so the event
 * loop keeps running; after busyTimeoutMs it rejects with MP_LOCKED, as a busy timeout would.
 */
export async function waitWhileBusy<T>(step: () => T, context: BusyWaitContext): Promise<T> {
  const deadline = Date.now() + context.busyTimeoutMs;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return step();
    } catch (error) {
      if (!isBusy(error)) throw error;
      const left = deadline - Date.now();
      if (left <= 0) throw lockedError(error, context);
      const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** attempt);
      // Jitter spreads waiters of several processes apart, so they do not retry in lockstep.
      await sleep(Math.min(left, ceiling / 2 + (Math.random() * ceiling) / 2));
    }
  }
}

/**
 * Runs steps of one store one at a time, in call order: a write that waits for another process's lock
 * keeps the writes called after it behind it (first come, first served within this process), and only
 * the first of them polls.
 */
export class WriteQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(step: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(step);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
