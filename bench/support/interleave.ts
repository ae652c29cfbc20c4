/** One side of a comparison: `block` does a fixed amount of work, which interleave() times. */
export interface Contestant {
  name: string;
  block(): Promise<void> | void;
}

/** Milliseconds per block, per contestant name. */
export type BlockTimes = Map<string, number[]>;

/**
 * Runs every contestant's block once per round, the order rotating from round to round, so that
 * contestants share the machine's conditions (CPU frequency, page cache, a noisy neighbour) and none
 * always goes first. The first `warmup` rounds are not kept: they pay for JIT and cold caches.
 * A GC between blocks (with --expose-gc) keeps one block's garbage from being collected in the next.
 */
export async function interleave(contestants: readonly Contestant[], rounds: number, warmup = 1): Promise<BlockTimes> {
  const times: BlockTimes = new Map(contestants.map((contestant) => [contestant.name, []]));
  for (let round = 0; round < warmup + rounds; round += 1) {
    for (let turn = 0; turn < contestants.length; turn += 1) {
      const contestant = contestants[(round + turn) % contestants.length];
      if (contestant === undefined) continue;
      globalThis.gc?.();
      const started = performance.now();
      await contestant.block();
      const elapsed = performance.now() - started;
      if (round >= warmup) times.get(contestant.name)?.push(elapsed);
    }
  }
  return times;
}

/** The block times of one contestant; a typo in a name is a bench bug, not an empty result. */
export function timesOf(times: BlockTimes, name: string): number[] {
  const found = times.get(name);
  if (found === undefined) throw new Error(`no contestant named ${name}`);
  return found;
}

/** Block times (ms) of `count` operations each, as operations per second. */
export function perSecond(blockMs: readonly number[], count: number): number[] {
  return blockMs.map((ms) => (count * 1000) / ms);
}

/** Block times (ms) of `count` operations each, as microseconds per operation. */
export function microsEach(blockMs: readonly number[], count: number): number[] {
  return blockMs.map((ms) => (ms * 1000) / count);
}

/** Lets the event loop turn, so that work a store deferred with setImmediate runs (and is timed). */
export async function settle(): Promise<void> {
  for (let turn = 0; turn < 2; turn += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}
