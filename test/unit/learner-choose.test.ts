import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/backends/postgres/index.js';
import { type OutcomeInput, silentLogger } from '../../src/index.js';
import { MAX_PRIOR_SAMPLES } from '../../src/learner/federated.js';
import {
  outcomesOf,
  STORE_BACKENDS,
  type StoreBackend,
  statsDocument,
  T0,
  useLearners,
} from '../support/learner-fixture.js';
import { dropSchemas, schemaFor, TEST_PG_URL } from '../support/postgres.js';
import { seededRandom } from '../support/seeded-random.js';

const TASK = 'execute-task';

/**
 * `wins` of `total` outcomes spread evenly through time, so that the recent outcomes look like the
 * whole record (outcomesOf puts every win first, which reads as a model that has just started failing).
 */
function steadyOutcomes(modelId: string, wins: number, total: number, fields: Partial<OutcomeInput> = {}) {
  return outcomesOf(TASK, modelId, total, 0, T0, fields).map((outcome, index) => ({
    ...outcome,
    success: Math.floor(((index + 1) * wins) / total) > Math.floor((index * wins) / total),
  }));
}

/** choose() reads what every backend keeps, so it runs on PostgreSQL too: a schema per store, dropped after. */
const schemas: string[] = [];
afterAll(() => dropSchemas(schemas));
const POSTGRES: StoreBackend = {
  name: 'postgres',
  open(dir) {
    const schema = schemaFor(dir);
    schemas.push(schema);
    return openPostgresStore({ dir, url: TEST_PG_URL, schema, logger: silentLogger });
  },
};

describe.each([...STORE_BACKENDS, POSTGRES])('choose on $name', (backend) => {
  const learners = useLearners(backend);

  it('answers with a candidate, one ranking row per candidate, P(best) summing to 1', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany([
      ...steadyOutcomes('strong', 90, 100),
      ...steadyOutcomes('weak', 30, 100),
      ...steadyOutcomes('not-a-candidate', 100, 100),
    ]);
    const choice = await learner.choose(TASK, ['weak', 'strong'], { random: seededRandom(1) });
    expect(['weak', 'strong']).toContain(choice.modelId);
    expect(choice.ranking.map((row) => row.modelId).sort()).toEqual(['strong', 'weak']);
    expect(choice.ranking.reduce((sum, row) => sum + row.pBest, 0)).toBeCloseTo(1, 9);
    const strong = choice.ranking.find((row) => row.modelId === 'strong');
    expect(strong).toMatchObject({ samples: 100, successRate: 0.9, drift: false });
    expect(strong?.pBest).toBeGreaterThan(0.999);
    expect(choice.ranking[0]?.modelId).toBe('strong');
    expect(choice.policy).toMatch(/thompson/);
    expect(typeof choice.reason).toBe('string');
  });

  it('is deterministic given random, and spreads over models that could be best', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany([...steadyOutcomes('a', 8, 10), ...steadyOutcomes('b', 8, 10)]);
    const picks = async (seed: number) => {
      const random = seededRandom(seed);
      const chosen: string[] = [];
      for (let call = 0; call < 40; call += 1)
        chosen.push((await learner.choose(TASK, ['a', 'b'], { random })).modelId);
      return chosen;
    };
    const first = await picks(7);
    expect(await picks(7)).toEqual(first);
    // Two equally good models: concurrent callers must not herd onto one of them.
    expect(first.filter((model) => model === 'a').length).toBeGreaterThan(8);
    expect(first.filter((model) => model === 'b').length).toBeGreaterThan(8);
  });

  it('gives a never-seen candidate trials, and says it is new', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany(steadyOutcomes('incumbent', 80, 100));
    const random = seededRandom(3);
    const choices = [];
    for (let call = 0; call < 30; call += 1)
      choices.push(await learner.choose(TASK, ['incumbent', 'fresh'], { random }));
    const fresh = choices.filter((choice) => choice.modelId === 'fresh');
    expect(fresh.length).toBeGreaterThan(0);
    expect(fresh[0]?.reason).toContain('new model');
    expect(fresh[0]?.explored).toBe(true);
    expect(choices[0]?.ranking.find((row) => row.modelId === 'fresh')).toMatchObject({ samples: 0, successRate: null });
  });

  it('drops a model whose recent outcomes drift down, before its all-time rate says so', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany([
      ...steadyOutcomes('was-best', 450, 500),
      ...outcomesOf(TASK, 'was-best', 12, 28, T0 + 600_000),
      ...steadyOutcomes('steady', 85, 100),
    ]);
    const choice = await learner.choose(TASK, ['was-best', 'steady'], { random: seededRandom(5) });
    const wasBest = choice.ranking.find((row) => row.modelId === 'was-best');
    // All time it is still at 86%, above steady's 85%; recently it fails most of the time.
    expect(wasBest?.successRate).toBeGreaterThan(0.85);
    expect(wasBest?.drift).toBe(true);
    expect(choice.modelId).toBe('steady');
    expect(choice.ranking[0]?.modelId).toBe('steady');
  });

  it('with minSuccessRate picks the cheapest candidate likely good enough; maxCostUsd leaves out the dear', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany([
      ...steadyOutcomes('dear', 92, 100, { costUsd: 0.1 }),
      ...steadyOutcomes('cheap', 90, 100, { costUsd: 0.01 }),
    ]);
    const random = seededRandom(11);
    const picks = [];
    for (let call = 0; call < 20; call += 1) {
      picks.push((await learner.choose(TASK, ['dear', 'cheap'], { random, minSuccessRate: 0.8 })).modelId);
    }
    expect(picks.filter((model) => model === 'cheap').length).toBeGreaterThanOrEqual(19);
    const capped = await learner.choose(TASK, ['dear', 'cheap'], { random, maxCostUsd: 0.05 });
    expect(capped.modelId).toBe('cheap');
    const none = await learner.choose(TASK, ['dear', 'cheap'], { random, maxCostUsd: 0.001 });
    expect(none.modelId).toBe('cheap');
    expect(none.reason).toContain('every candidate costs more');
  });

  it('with includeFederated lets peers stand in for trials, their weight capped', async () => {
    const { learner, store } = await learners.open();
    await store.recordMany(steadyOutcomes('local', 80, 100));
    await learner.importStats(
      statsDocument('peer', [
        {
          taskType: TASK,
          modelId: 'known-abroad',
          successes: 10,
          failures: 990,
          timeouts: 0,
          totalTokens: null,
          totalCost: null,
          lastUsed: null,
        },
      ]),
    );
    const alone = await learner.choose(TASK, ['local', 'known-abroad'], { random: seededRandom(2) });
    expect(alone.ranking.find((row) => row.modelId === 'known-abroad')?.posteriorMean).toBe(0.5);
    const informed = await learner.choose(TASK, ['local', 'known-abroad'], {
      random: seededRandom(2),
      includeFederated: true,
    });
    const abroad = informed.ranking.find((row) => row.modelId === 'known-abroad');
    // 1,000 peer outcomes weigh as MAX_PRIOR_SAMPLES local ones, at the peer's rate of 1%.
    const prior = { successes: (10 * MAX_PRIOR_SAMPLES) / 1000, failures: (990 * MAX_PRIOR_SAMPLES) / 1000 };
    expect(abroad?.posteriorMean).toBeCloseTo((1 + prior.successes) / (2 + MAX_PRIOR_SAMPLES), 12);
    expect(abroad?.samples).toBe(0);
    expect(informed.modelId).toBe('local');
  });

  it('rejects bad arguments with MP_INVALID_QUERY before reading', async () => {
    const { learner } = await learners.open();
    const bad: Array<[unknown, unknown]> = [
      [[], undefined],
      ['gpt-4o', undefined],
      [['a', 'a'], undefined],
      [['a', ''], undefined],
      [['a'], { random: 0.5 }],
      [['a'], { minSuccessRate: 1.5 }],
      [['a'], { maxCostUsd: -1 }],
      [['a'], { includeFederated: 'yes' }],
      [['a'], { temperature: 1 }],
    ];
    for (const [candidates, options] of bad) {
      await expect(learner.choose(TASK, candidates as string[], options as never)).rejects.toMatchObject({
        code: 'MP_INVALID_QUERY',
      });
    }
    await expect(learner.choose(' ', ['a'])).rejects.toMatchObject({ code: 'MP_INVALID_QUERY', field: 'taskType' });
  });

  it('always answers when the store fails: the first candidate, logged and said in the reason', async () => {
    const { learner, store, logger } = await learners.open();
    await store.close();
    const choice = await learner.choose(TASK, ['preferred', 'other']);
    expect(choice.modelId).toBe('preferred');
    expect(choice.reason).toContain('the store could not be read');
    expect(logger.lines.some((line) => line.level === 'error' && line.message.includes('choose()'))).toBe(true);
  });
});
