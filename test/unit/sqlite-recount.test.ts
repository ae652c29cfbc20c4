import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/backends/sqlite/index.js';
import { silentLogger } from '../../src/core/logger.js';
import type { OutcomeInput } from '../../src/core/types.js';
import { queryRows, rawConnection, tempDir } from './sqlite-fixture.js';

/** model_stats recomputed from model_outcomes, in the same row shape. */
const RECOUNT = `
SELECT task_type, model_id,
       sum(success) AS successes, sum(1 - success) AS failures, sum(timeout) AS timeouts,
       coalesce(sum(tokens_used), 0) AS total_tokens, count(tokens_used) AS token_samples,
       total(cost_usd) AS total_cost, count(cost_usd) AS cost_samples,
       total(latency_ms) AS total_latency_ms, count(latency_ms) AS latency_samples, max(timestamp) AS last_used
FROM model_outcomes GROUP BY task_type, model_id ORDER BY task_type, model_id`;

const STORED = `
SELECT task_type, model_id, successes, failures, timeouts, total_tokens, token_samples, total_cost, cost_samples,
       total_latency_ms, latency_samples, last_used
FROM model_stats ORDER BY task_type, model_id`;

const outcomeArbitrary: fc.Arbitrary<OutcomeInput> = fc.record(
  {
    // A small id space makes repeats, within a batch and across batches, common.
    id: fc.integer({ min: 0, max: 40 }).map((n) => `id-${n}`),
    taskType: fc.constantFrom('execute-task', 'plan-slice'),
    modelId: fc.constantFrom('gpt-4o', 'claude-opus', 'mini'),
    success: fc.boolean(),
    timeout: fc.boolean(),
    tokensUsed: fc.nat({ max: 10_000 }),
    costUsd: fc.double({ min: 0, max: 5, noNaN: true }),
    latencyMs: fc.double({ min: 0, max: 60_000, noNaN: true }),
    timestamp: fc.date({ min: new Date('2025-01-01'), max: new Date('2027-01-01'), noInvalidDate: true }),
  },
  { requiredKeys: ['id', 'taskType', 'modelId', 'success'] },
);

describe('model_stats', () => {
  it('always equals a recount of model_outcomes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(outcomeArbitrary, { maxLength: 12 }), { maxLength: 8 }), async (batches) => {
        const dir = await tempDir();
        const store = await openSqliteStore({ dir, logger: silentLogger });
        try {
          for (const batch of batches) await store.recordMany(batch);
        } finally {
          await store.close();
        }
        const db = rawConnection(dir);
        const stored = queryRows(db, STORED);
        const recounted = queryRows(db, RECOUNT);
        expect(stored.map((row) => ({ ...row, total_cost: 0, total_latency_ms: 0 }))).toEqual(
          recounted.map((row) => ({ ...row, total_cost: 0, total_latency_ms: 0 })),
        );
        stored.forEach((row, index) => {
          expect(row.total_cost).toBeCloseTo(Number(recounted[index]?.total_cost), 9);
          expect(row.total_latency_ms).toBeCloseTo(Number(recounted[index]?.total_latency_ms), 6);
        });
        db.close();
      }),
      { numRuns: 40 },
    );
  });
});
