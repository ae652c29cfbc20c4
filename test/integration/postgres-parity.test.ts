import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/backends/postgres/index.js';
import { openSqliteStore } from '../../src/backends/sqlite/index.js';
import { silentLogger } from '../../src/core/logger.js';
import type { PerformanceStore } from '../../src/core/store.js';
import type { OutcomeInput, OutcomeQuery, SummaryQuery, SummaryRow } from '../../src/core/types.js';
import { collect } from '../contract/fixtures.js';
import {
  createLocaleDatabase,
  localeCollation,
  type ScratchDatabase,
  schemaFor,
  serversUnderTest,
} from '../support/postgres.js';

// Few names, ids and instants, so that a stream has duplicate ids and ties in time. The names mix
// orders that collations disagree on: case, accents, spaces, and U+FFFF against an astral emoji
// (UTF-16 code units put the emoji first; code points, SQLite's BINARY and PostgreSQL's "C" put it last).
const TASKS = ['execute-task', 'Plan', 'plan', 'résumé'];
const MODELS = ['gpt-4o', 'GPT-4o', 'claude opus', 'claude-opus', '\uffff-last?', '🚀-model', 'é'];
const BASE = Date.parse('2026-03-01T22:00:00.000Z');

const outcome: fc.Arbitrary<OutcomeInput> = fc
  .record({
    id: fc.integer({ min: 0, max: 40 }).map((n) => `id-${n}`),
    taskType: fc.constantFrom(...TASKS),
    modelId: fc.constantFrom(...MODELS),
    success: fc.boolean(),
    timeout: fc.boolean(),
    tokensUsed: fc.nat({ max: 100_000 }),
    costUsd: fc.double({ min: 0, max: 50, noNaN: true }),
    latencyMs: fc.option(fc.double({ min: 0, max: 90_000, noNaN: true }), { nil: undefined }),
    // Quarter hours over four days around midnight UTC, and now and then the first or last moment allowed.
    at: fc.oneof(
      { weight: 9, arbitrary: fc.integer({ min: 0, max: 4 * 96 }).map((q) => new Date(BASE + q * 900_000)) },
      { weight: 1, arbitrary: fc.constantFrom(new Date('0000-01-01T00:00:00Z'), new Date('9999-12-31T23:59:59.999Z')) },
    ),
  })
  .map(({ at, latencyMs, ...fields }) => ({
    ...fields,
    // A timeout is a failure: a success that timed out is invalid input, not a case to compare.
    timeout: fields.success ? false : fields.timeout,
    timestamp: at.toISOString(),
    ...(latencyMs === undefined ? {} : { latencyMs }),
  }));

type Step = { kind: 'record'; outcome: OutcomeInput } | { kind: 'batch'; outcomes: OutcomeInput[] };

const step: fc.Arbitrary<Step> = fc.oneof(
  outcome.map((one) => ({ kind: 'record' as const, outcome: one })),
  fc.array(outcome, { minLength: 1, maxLength: 12 }).map((outcomes) => ({ kind: 'batch' as const, outcomes })),
);

const window = fc
  .record(
    {
      since: fc.integer({ min: 0, max: 4 * 96 }).map((q) => new Date(BASE + q * 900_000).toISOString()),
      until: fc.integer({ min: 0, max: 4 * 96 }).map((q) => new Date(BASE + q * 900_000).toISOString()),
    },
    { requiredKeys: [] },
    // until before since is rejected as a mistake (MP_INVALID_QUERY): a window has its bounds in order.
  )
  .map((bounds) =>
    bounds.since !== undefined && bounds.until !== undefined && bounds.until < bounds.since
      ? { since: bounds.until, until: bounds.since }
      : bounds,
  );

const summaryQuery: fc.Arbitrary<SummaryQuery> = fc
  .tuple(
    fc.constantFrom('model' as const, 'day' as const, 'day+model' as const),
    fc.option(fc.constantFrom(...TASKS), { nil: undefined }),
    fc.option(fc.subarray(MODELS), { nil: undefined }),
    window,
  )
  .map(([groupBy, taskType, models, bounds]) => ({
    groupBy,
    ...bounds,
    ...(taskType === undefined ? {} : { taskType }),
    ...(models === undefined ? {} : { models }),
  }));

const outcomeQuery: fc.Arbitrary<OutcomeQuery> = fc
  .tuple(
    fc.constantFrom('asc' as const, 'desc' as const),
    fc.option(fc.constantFrom(...TASKS), { nil: undefined }),
    fc.option(fc.constantFrom(...MODELS), { nil: undefined }),
    fc.option(fc.nat({ max: 30 }), { nil: undefined }),
    window,
  )
  .map(([order, taskType, modelId, limit, bounds]) => ({
    order,
    ...bounds,
    ...(taskType === undefined ? {} : { taskType }),
    ...(modelId === undefined ? {} : { modelId }),
    ...(limit === undefined ? {} : { limit }),
  }));

async function apply(store: PerformanceStore, steps: readonly Step[]): Promise<unknown[]> {
  const results: unknown[] = [];
  for (const next of steps) {
    results.push(next.kind === 'record' ? await store.record(next.outcome) : await store.recordMany(next.outcomes));
  }
  return results;
}

/**
 * Summaries sum floats in SQL; SQLite's total() compensates rounding, PostgreSQL's sum() does not, so
 * their last bits may differ. Everything else must be equal.
 */
function closeSums(rows: readonly SummaryRow[]): unknown[] {
  return rows.map((row) => ({
    ...row,
    totalCost: expect.closeTo(row.totalCost, 6),
    totalLatencyMs: expect.closeTo(row.totalLatencyMs, 4),
  }));
}

// The version matrix: the main server, PostgreSQL 12 and every server of MODEL_PERF_TEST_PG_URLS.
describe.each(await serversUnderTest())(
  'PostgreSQL on $name and SQLite on the same random outcome streams',
  (server) => {
    // A database whose default collation sorts case-insensitively (from PostgreSQL 15 on): equal orders
    // prove the tables' own "C".
    let database: ScratchDatabase;
    beforeAll(async () => {
      database = await createLocaleDatabase(server);
    });
    afterAll(() => database.drop());

    it(`return the same outcomes, identical stats, summaries and stream order (database: ${localeCollation(server)})`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(step, { minLength: 1, maxLength: 25 }),
          fc.array(summaryQuery, { minLength: 1, maxLength: 4 }),
          fc.array(outcomeQuery, { minLength: 1, maxLength: 4 }),
          async (steps, summaries, streams) => {
            const dir = await mkdtemp(join(tmpdir(), 'model-perf-parity-'));
            const sqlite = await openSqliteStore({ dir, logger: silentLogger });
            const postgres = await openPostgresStore({
              dir,
              url: database.url,
              schema: schemaFor(dir),
              logger: silentLogger,
            });
            try {
              expect(await apply(postgres, steps)).toEqual(await apply(sqlite, steps));
              // Per pair, both add the outcomes in the order they came: the float sums match bit for bit.
              expect(await postgres.listStats()).toEqual(await sqlite.listStats());
              for (const query of summaries) {
                expect(await postgres.summarize(query), JSON.stringify(query)).toEqual(
                  closeSums(await sqlite.summarize(query)),
                );
              }
              for (const query of [{}, ...streams]) {
                expect(await collect(postgres.outcomes(query)), JSON.stringify(query)).toEqual(
                  await collect(sqlite.outcomes(query)),
                );
              }
            } finally {
              await Promise.all([sqlite.close(), postgres.close()]);
              await rm(dir, { recursive: true, force: true });
            }
          },
        ),
        { numRuns: 60 },
      );
    }, 240_000);
  },
);
