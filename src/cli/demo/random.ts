/** Mulberry32: a small seeded PRNG, so that the same seed replays the same simulation exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A value spread uniformly around `center`, ±spread of it: noisy but never negative for spread < 1. */
export function jitter(random: () => number, center: number, spread: number): number {
  return center * (1 - spread + 2 * spread * random());
}
