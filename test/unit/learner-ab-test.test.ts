import { describe, expect, it } from 'vitest';
import { DAY_MS, outcomesOf, STORE_BACKENDS, T0, useLearners } from '../support/learner-fixture.js';

const TASK = 'execute-task';

describe.each(STORE_BACKENDS)('getABTestCandidates on $name', (backend) => {
  const learners = useLearners(backend);

  it('is null with fewer than two models', async () => {
    const { learner, store } = await learners.open();
    expect(await learner.getABTestCandidates(TASK)).toBeNull();
    await store.recordMany(outcomesOf(TASK, 'only', 5, 0, T0));
    expect(await learner.getABTestCandidates(TASK)).toBeNull();
  });

  it('pits the top-ranked model against the highest upper bound, however few its samples', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany([
      ...outcomesOf(TASK, 'incumbent', 40, 10, T0),
      ...outcomesOf(TASK, 'runner-up', 30, 20, T0),
      ...outcomesOf(TASK, 'newcomer', 1, 0, T0),
    ]);
    const pair = await learner.getABTestCandidates(TASK);
    expect(pair?.incumbent.modelId).toBe('incumbent');
    expect(pair?.challenger.modelId).toBe('newcomer');
    expect(pair?.challenger.upper).toBe(1);
    expect(pair?.reason).toBe(
      "incumbent leads execute-task with a 95% lower bound of 0.670 over 50 samples. newcomer could still be better: its 95% upper bound 1.000 over 1 sample is above the incumbent's lower bound 0.670, so it deserves a trial.",
    );
  });

  it('gives the probability that the challenger beats the incumbent', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany([...outcomesOf(TASK, 'incumbent', 40, 10, T0), ...outcomesOf(TASK, 'newcomer', 1, 0, T0)]);
    const pair = await learner.getABTestCandidates(TASK);
    // P(Beta(2, 1) > Beta(41, 11)) = 1 - E[X^2] for X ~ Beta(41, 11) = 1 - (41 * 42) / (52 * 53).
    expect(pair?.trialProbability).toBeCloseTo(1 - (41 * 42) / (52 * 53), 10);
    await store.recordMany(outcomesOf(TASK, 'newcomer', 0, 20, T0));
    const shown = await learner.getABTestCandidates(TASK);
    expect(shown?.challenger.modelId).toBe('newcomer');
    expect(shown?.trialProbability).toBeLessThan(1e-6);
  });

  it('never names a demoted incumbent', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany([
      ...outcomesOf(TASK, 'was-best', 300, 0, T0 - 30 * DAY_MS),
      ...outcomesOf(TASK, 'was-best', 5, 35, T0 - DAY_MS),
      ...outcomesOf(TASK, 'steady', 45, 5, T0 - DAY_MS),
      ...outcomesOf(TASK, 'weak', 1, 19, T0 - DAY_MS),
    ]);
    // All time, was-best still leads; over the week it is demoted, so steady is the incumbent.
    expect((await learner.getABTestCandidates(TASK))?.incumbent.modelId).toBe('was-best');
    const recent = await learner.getABTestCandidates(TASK, { windowDays: 7 });
    expect(recent?.incumbent.modelId).toBe('steady');
    expect((await learner.shouldDemote(TASK, 'was-best', { windowDays: 7 })).demote).toBe(true);
  });

  it('is null when every model is demoted', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany([...outcomesOf(TASK, 'bad', 1, 19, T0), ...outcomesOf(TASK, 'worse', 0, 20, T0)]);
    expect(await learner.getABTestCandidates(TASK)).toBeNull();
  });

  it('says when the best challenger is unlikely to change the ranking', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany([...outcomesOf(TASK, 'strong', 95, 5, T0), ...outcomesOf(TASK, 'weak', 20, 80, T0)]);
    const pair = await learner.getABTestCandidates(TASK);
    expect(pair?.challenger.modelId).toBe('weak');
    expect(pair?.reason).toContain('a trial is unlikely to change the ranking');
  });

  it('prefers the less tried challenger among equal upper bounds', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany([
      ...outcomesOf(TASK, 'incumbent', 40, 10, T0),
      ...outcomesOf(TASK, 'b-tried-twice', 2, 0, T0),
      ...outcomesOf(TASK, 'a-tried-thrice', 3, 0, T0),
      ...outcomesOf(TASK, 'c-tried-once', 1, 0, T0),
    ]);
    expect((await learner.getABTestCandidates(TASK))?.challenger.modelId).toBe('c-tried-once');
  });

  it('names a provisional incumbent when no model has minSamples yet', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany([...outcomesOf(TASK, 'a', 2, 0, T0), ...outcomesOf(TASK, 'b', 1, 1, T0)]);
    const pair = await learner.getABTestCandidates(TASK);
    expect([pair?.incumbent.modelId, pair?.challenger.modelId]).toEqual(['a', 'b']);
    expect(pair?.reason).toMatch(/^No model has 3 samples on execute-task yet; a leads provisionally/);
  });

  it('with windowDays sees only recent outcomes', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany([
      ...outcomesOf(TASK, 'was-best', 50, 0, T0 - 30 * DAY_MS),
      ...outcomesOf(TASK, 'was-best', 2, 8, T0 - DAY_MS),
      ...outcomesOf(TASK, 'now-best', 9, 1, T0 - DAY_MS),
    ]);
    expect((await learner.getABTestCandidates(TASK))?.incumbent.modelId).toBe('was-best');
    expect((await learner.getABTestCandidates(TASK, { windowDays: 7 }))?.incumbent.modelId).toBe('now-best');
  });

  it('rejects bad options with MP_INVALID_QUERY', async () => {
    const { learner } = await learners.open();
    await expect(learner.getABTestCandidates(TASK, { minSamples: -1 })).rejects.toMatchObject({
      code: 'MP_INVALID_QUERY',
    });
  });
});
