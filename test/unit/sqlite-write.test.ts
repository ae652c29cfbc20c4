import { describe, expect, it } from 'vitest';
import { FAST_DECAY, SLOW_DECAY } from '../../src/core/recency.js';
import type { OutcomeInput } from '../../src/core/types.js';
import { dbFile, openTempStore, queryRows, rawConnection } from './sqlite-fixture.js';

const outcome = (id: string, fields: Partial<OutcomeInput> = {}): OutcomeInput => ({
  id,
  taskType: 'execute-task',
  modelId: 'gpt-4o',
  success: true,
  tokensUsed: 10,
  costUsd: 0.5,
  latencyMs: 100,
  timestamp: '2026-03-01T10:00:00.000Z',
  ...fields,
});

describe('SqliteStore writes', () => {
  it('adds each outcome to its stats row, keeping the newest lastUsed', async () => {
    const store = await openTempStore();
    await store.record(outcome('a', { timestamp: '2026-03-02T00:00:00.000Z' }));
    const { latencyMs: _unmeasured, ...withoutLatency } = outcome('b', { success: false, timeout: true });
    await store.record(withoutLatency);
    expect(await store.getStats('execute-task', 'gpt-4o')).toEqual({
      taskType: 'execute-task',
      modelId: 'gpt-4o',
      successes: 1,
      failures: 1,
      timeouts: 1,
      totalTokens: 20,
      tokenSamples: 2,
      totalCost: 1,
      costSamples: 2,
      totalLatencyMs: 100,
      latencySamples: 1,
      lastUsed: '2026-03-02T00:00:00.000Z',
      // A success, then a failure: each pair decays once per outcome.
      fastSuccesses: FAST_DECAY,
      fastFailures: 1,
      slowSuccesses: SLOW_DECAY,
      slowFailures: 1,
      samples: 2,
      successRate: 0.5,
    });
  });

  it('returns the stored outcome for an id already in the database, and changes nothing', async () => {
    const store = await openTempStore();
    const first = await store.record(outcome('same'));
    const again = await store.record(outcome('same', { modelId: 'other-model', success: false, costUsd: 9 }));
    expect(again).toEqual(first);
    expect(await store.listStats()).toMatchObject([{ modelId: 'gpt-4o', samples: 1, totalCost: 0.5 }]);
  });

  it('counts an id repeated within one batch once, returning the first for both', async () => {
    const store = await openTempStore();
    const [first, second, third] = await store.recordMany([
      outcome('x'),
      outcome('y', { success: false }),
      outcome('x', { modelId: 'other-model' }),
    ]);
    expect(third).toEqual(first);
    expect(second?.id).toBe('y');
    expect(await store.listStats()).toMatchObject([{ modelId: 'gpt-4o', successes: 1, failures: 1 }]);
  });

  it('writes nothing of a batch holding one invalid outcome', async () => {
    const store = await openTempStore();
    const batch = [outcome('ok-1'), outcome('ok-2'), { ...outcome('bad'), tokensUsed: -1 }];
    await expect(store.recordMany(batch)).rejects.toMatchObject({ code: 'MP_INVALID_OUTCOME', field: 'tokensUsed' });
    expect(await store.listStats()).toEqual([]);
    expect(queryRows(rawConnection(store.info.dir), 'SELECT count(*) AS n FROM model_outcomes')[0]?.n).toBe(0);
  });

  it('rolls back the whole batch when SQLite fails on its last insert', async () => {
    const store = await openTempStore();
    await store.record(outcome('before'));
    const db = rawConnection(store.info.dir);
    db.exec(`CREATE TRIGGER fail_on_boom BEFORE INSERT ON model_outcomes WHEN NEW.outcome_id = 'boom'
             BEGIN SELECT RAISE(ABORT, 'boom refused'); END`);
    const batch = [outcome('ok-1'), outcome('ok-2', { modelId: 'new-model' }), outcome('boom')];
    await expect(store.recordMany(batch)).rejects.toThrow(/boom refused/);
    expect(await store.listStats()).toMatchObject([{ modelId: 'gpt-4o', samples: 1 }]);
    expect(queryRows(db, 'SELECT outcome_id FROM model_outcomes')).toEqual([{ outcome_id: 'before' }]);
    // The connection is out of the failed transaction: the next write goes through on its own.
    await store.record(outcome('after'));
    expect(await store.getStats('execute-task', 'gpt-4o')).toMatchObject({ samples: 2 });
  });

  it('rejects with MP_LOCKED naming the file once the busy timeout elapses', async () => {
    const store = await openTempStore({ busyTimeoutMs: 50 });
    const db = rawConnection(store.info.dir);
    db.exec('BEGIN IMMEDIATE');
    const error = await store.record(outcome('waiting')).catch((rejection: unknown) => rejection);
    expect(error).toMatchObject({ code: 'MP_LOCKED', file: dbFile(store.info.dir) });
    expect(String(error)).toContain('50 ms');
    db.exec('ROLLBACK');
    await store.record(outcome('waiting'));
    expect(await store.getStats('execute-task', 'gpt-4o')).toMatchObject({ samples: 1 });
  });
});
