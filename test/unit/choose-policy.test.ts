import { describe, expect, it } from 'vitest';
import { addToRecency, emptyRecency } from '../../src/core/recency.js';
import { type ChoiceInput, type ChoiceState, decideChoice } from '../../src/learner/choose-policy.js';
import { seededRandom } from '../support/seeded-random.js';

/** A model's state after its outcomes, in order, recorded with the exported update rule. */
function stateOf(outcomes: readonly boolean[], costUsd?: number): ChoiceState {
  const state: ChoiceState = { successes: 0, failures: 0, totalCost: 0, costSamples: 0, ...emptyRecency() };
  for (const success of outcomes) {
    addToRecency(state, success);
    if (success) state.successes += 1;
    else state.failures += 1;
    state.totalCost += costUsd ?? 0;
    state.costSamples += costUsd === undefined ? 0 : 1;
  }
  return state;
}

/** `wins` successes out of `total`, spread evenly. */
function rate(wins: number, total: number): boolean[] {
  return Array.from(
    { length: total },
    (_, index) => Math.floor(((index + 1) * wins) / total) > Math.floor((index * wins) / total),
  );
}

function input(
  models: Record<string, ChoiceState>,
  overrides: Partial<ChoiceInput['options']> = {},
  seed = 1,
): ChoiceInput {
  return {
    taskType: 'execute-task',
    candidates: Object.keys(models),
    models: new Map(Object.entries(models)),
    options: { random: seededRandom(seed), ...overrides },
  };
}

describe('addToRecency', () => {
  it('decays each pair by its factor, then adds the outcome', () => {
    const counters = emptyRecency();
    addToRecency(counters, true);
    expect(counters).toEqual({ fastSuccesses: 1, fastFailures: 0, slowSuccesses: 1, slowFailures: 0 });
    addToRecency(counters, false);
    expect(counters.fastSuccesses).toBeLessThan(counters.slowSuccesses);
    expect(counters.fastFailures).toBe(1);
    expect(counters.slowFailures).toBe(1);
  });

  it('keeps the fast pair near its window however many outcomes pass', () => {
    const state = stateOf(Array.from({ length: 5000 }, () => true));
    expect(state.fastSuccesses).toBeGreaterThan(20);
    expect(state.fastSuccesses).toBeLessThan(40);
    expect(state.slowSuccesses).toBeGreaterThan(state.fastSuccesses);
  });
});

describe('decideChoice', () => {
  const known = { good: stateOf(rate(90, 100)), poor: stateOf(rate(60, 100)), fair: stateOf(rate(80, 100)) };

  it('returns only candidates, ranks every one, and P(best) sums to 1', () => {
    const models = new Map(Object.entries({ ...known, elsewhere: stateOf(rate(99, 100)) }));
    const choice = decideChoice({ ...input(known), models });
    expect(['good', 'poor', 'fair']).toContain(choice.modelId);
    expect(choice.ranking.map((row) => row.modelId).sort()).toEqual(['fair', 'good', 'poor']);
    expect(choice.ranking.reduce((sum, row) => sum + row.pBest, 0)).toBeCloseTo(1, 9);
    expect(choice.ranking[0]?.modelId).toBe('good');
    expect(choice.policy).toMatch(/thompson/);
  });

  it('is deterministic given random, and spreads callers over plausible best models', () => {
    const close = { a: stateOf(rate(85, 100)), b: stateOf(rate(86, 100)), c: stateOf(rate(20, 100)) };
    expect(decideChoice(input(close, {}, 5))).toEqual(decideChoice(input(close, {}, 5)));
    const picks = new Set(Array.from({ length: 40 }, (_, seed) => decideChoice(input(close, {}, seed)).modelId));
    expect(picks).toEqual(new Set(['a', 'b']));
  });

  it('mostly picks the best estimate and says why in a sentence', () => {
    const picks = Array.from({ length: 50 }, (_, seed) => decideChoice(input(known, {}, seed)));
    const good = picks.filter((choice) => choice.modelId === 'good');
    expect(good.length).toBeGreaterThan(35);
    expect(good.every((choice) => !choice.explored)).toBe(true);
    expect(good[0]?.reason).toMatch(/^good: P\(best\)=0\.\d\d over 100 samples$/);
    expect(picks.filter((choice) => choice.modelId !== 'good').every((choice) => choice.explored)).toBe(true);
  });

  it('gives a never-seen candidate trials from its Beta(1, 1) draw, and says it is new', () => {
    const picks = Array.from({ length: 60 }, (_, seed) =>
      decideChoice(input({ ...known, fresh: stateOf([]) }, {}, seed)),
    );
    const fresh = picks.filter((choice) => choice.modelId === 'fresh');
    // P(Uniform > a draw near 0.9) is about 0.1: a few picks of 60, never none and never most.
    expect(fresh.length).toBeGreaterThan(0);
    expect(fresh.length).toBeLessThan(20);
    expect(fresh.every((choice) => choice.explored && choice.reason === 'fresh: new model, trying it')).toBe(true);
    const missing = decideChoice({ ...input(known), candidates: ['good', 'unknown-to-the-store'] });
    expect(missing.ranking.find((row) => row.modelId === 'unknown-to-the-store')?.successRate).toBeNull();
    expect(missing.ranking.find((row) => row.modelId === 'unknown-to-the-store')?.samples).toBe(0);
  });

  it('lets a federated prior stand in for trials', () => {
    const priors = new Map([['fresh', { successes: 1, failures: 49 }]]);
    const choice = decideChoice({ ...input({ ...known, fresh: stateOf([]) }), priors });
    expect(choice.modelId).not.toBe('fresh');
    const fresh = choice.ranking.find((row) => row.modelId === 'fresh');
    expect(fresh?.samples).toBe(0);
    expect(fresh?.posteriorMean).toBeCloseTo(2 / 52, 12);
  });

  it('with minSuccessRate picks the cheapest model likely good enough', () => {
    const costly = { premium: stateOf(rate(92, 200), 0.01), budget: stateOf(rate(180, 200), 0.001) };
    const picks = Array.from({ length: 30 }, (_, seed) => decideChoice(input(costly, { minSuccessRate: 0.85 }, seed)));
    expect(picks.filter((choice) => choice.modelId === 'budget').length).toBeGreaterThan(25);
    expect(picks.find((choice) => choice.modelId === 'budget')?.reason).toContain(
      'cheapest candidate likely above 85.0%',
    );
    const none = decideChoice(input(costly, { minSuccessRate: 0.99 }));
    expect(none.reason).toContain('no candidate is likely above 99.0%');
  });

  it('with maxCostUsd leaves out models above it, and falls back to the cheapest when all are', () => {
    const costly = { premium: stateOf(rate(95, 100), 0.01), budget: stateOf(rate(70, 100), 0.001) };
    for (let seed = 0; seed < 10; seed += 1) {
      expect(decideChoice(input(costly, { maxCostUsd: 0.005 }, seed)).modelId).toBe('budget');
    }
    const fallback = decideChoice(input(costly, { maxCostUsd: 0.0001 }));
    expect(fallback.modelId).toBe('budget');
    expect(fallback.reason).toContain('every candidate costs more than $0.0001');
  });

  it('flags drift and lets recent outcomes drive the posterior', () => {
    const degraded = stateOf([...rate(950, 1000), ...rate(4, 40)]);
    const steady = stateOf(rate(255, 300));
    const choice = decideChoice(input({ degraded, steady }));
    const row = choice.ranking.find((r) => r.modelId === 'degraded');
    expect(row?.drift).toBe(true);
    expect(row?.successRate).toBeGreaterThan(0.9);
    expect(row?.posteriorMean).toBeLessThan(0.5);
    expect(choice.modelId).toBe('steady');
    expect(choice.ranking.find((r) => r.modelId === 'steady')?.drift).toBe(false);
  });

  it('counts outcomes the decayed counters never saw (legacy baselines) at the all-time rate', () => {
    const legacy: ChoiceState = { ...stateOf([]), successes: 900, failures: 100 };
    const choice = decideChoice(input({ legacy, other: stateOf(rate(50, 100)) }));
    const row = choice.ranking.find((r) => r.modelId === 'legacy');
    expect(row?.posteriorMean).toBeCloseTo(0.9, 2);
    expect(row?.drift).toBe(false);
    expect(choice.modelId).toBe('legacy');
  });
});
