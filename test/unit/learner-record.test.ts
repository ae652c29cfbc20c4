import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModelPerfError } from '../../src/core/errors.js';
import type { Outcome } from '../../src/core/types.js';
import { ModelLearner } from '../../src/learner/learner.js';
import { captureLogger } from '../support/capture-logger.js';
import { STORE_BACKENDS, T0, useLearners } from '../support/learner-fixture.js';
import { MemoryStore } from '../support/memory-store.js';

const TASK = 'execute-task';

/** Calls recordOutcome with values its types forbid, as plain JavaScript callers can. */
function recordUntyped(learner: ModelLearner, ...args: unknown[]): Promise<boolean> {
  return (learner.recordOutcome as (...values: unknown[]) => Promise<boolean>)(...args);
}

describe.each(STORE_BACKENDS)('recordOutcome on $name', (backend) => {
  const learners = useLearners(backend);

  it('records an outcome at the clock time and resolves true', async () => {
    const { learner, store, logger } = await learners.open();
    const recorded = await learner.recordOutcome(TASK, 'gpt-4o', {
      success: true,
      timeout: false,
      tokensUsed: 120,
      costUsd: 0.02,
      latencyMs: 850,
    });
    expect(recorded).toBe(true);
    expect(await store.getStats(TASK, 'gpt-4o')).toMatchObject({
      successes: 1,
      totalTokens: 120,
      lastUsed: new Date(T0).toISOString(),
    });
    expect(logger.lines).toEqual([]);
  });

  it('keeps a given timestamp, and counts a repeated id once', async () => {
    const { learner, store } = await learners.open();
    const details = { success: false, timestamp: '2026-01-02T03:04:05.000Z', id: 'dispatch-1' };
    expect(await learner.recordOutcome(TASK, 'gpt-4o', details)).toBe(true);
    expect(await learner.recordOutcome(TASK, 'gpt-4o', details)).toBe(true);
    expect(await store.getStats(TASK, 'gpt-4o')).toMatchObject({ failures: 1, lastUsed: details.timestamp });
  });

  it('resolves false and warns on bad input, recording nothing', async () => {
    const { learner, store, logger } = await learners.open();
    const bad: unknown[][] = [
      [TASK, 'gpt-4o', { success: 'yes' }],
      [TASK, 'gpt-4o', { success: true, tokensUsed: -1 }],
      [TASK, 'gpt-4o', { success: true, latencyMs: Number.NaN }],
      [TASK, 'gpt-4o', { success: true, model: 'typo' }],
      [TASK, 'gpt-4o', null],
      [TASK, 'gpt-4o', undefined],
      [TASK, 'gpt-4o', 'success'],
      ['', 'gpt-4o', { success: true }],
      [TASK, 42, { success: true }],
      [null, undefined, { success: true }],
      [],
    ];
    for (const args of bad) expect(await recordUntyped(learner, ...args)).toBe(false);
    expect(await store.listStats()).toEqual([]);
    expect(logger.lines).toHaveLength(bad.length);
    expect(logger.lines.every((line) => line.level === 'warn')).toBe(true);
    expect(logger.lines[0]?.message).toBe(
      'The outcome of "gpt-4o" on "execute-task" was not recorded: MP_INVALID_OUTCOME: Invalid success: expected a boolean, got "yes"',
    );
  });

  it('resolves false and warns when the store is closed', async () => {
    const { learner, logger } = await learners.open();
    await learner.close();
    expect(await learner.recordOutcome(TASK, 'gpt-4o', { success: true })).toBe(false);
    expect(logger.lines.map((line) => line.level)).toEqual(['warn']);
    expect(logger.lines[0]?.message).toContain('MP_CLOSED');
  });

  it('works as a detached function', async () => {
    const { learner, store } = await learners.open();
    const { recordOutcome } = learner;
    expect(await recordOutcome(TASK, 'gpt-4o', { success: true })).toBe(true);
    expect((await store.getStats(TASK, 'gpt-4o'))?.successes).toBe(1);
  });
});

/** A store whose writes fail as a full disk would. */
class FailingStore extends MemoryStore {
  protected override async writeOutcomes(_outcomes: readonly Outcome[]): Promise<Outcome[]> {
    throw new ModelPerfError('MP_IO', 'ENOSPC: no space left on device, write');
  }
}

describe('recordOutcome never throws', () => {
  it('resolves false and logs an error on a storage failure', async () => {
    const logger = captureLogger();
    const learner = new ModelLearner(new FailingStore(), { logger });
    expect(await learner.recordOutcome(TASK, 'gpt-4o', { success: true })).toBe(false);
    expect(logger.lines).toEqual([
      {
        level: 'error',
        message:
          'The outcome of "gpt-4o" on "execute-task" was not recorded: MP_IO: ENOSPC: no space left on device, write',
      },
    ]);
  });

  it('survives a logger that throws, a clock that throws and details whose getters throw', async () => {
    const throwing = (): never => {
      throw new Error('boom');
    };
    const logger = { error: throwing, warn: throwing, info: throwing, debug: throwing };
    const brokenClock = new ModelLearner(new MemoryStore(), { logger, now: throwing });
    expect(await brokenClock.recordOutcome(TASK, 'gpt-4o', { success: true })).toBe(false);
    const learner = new ModelLearner(new FailingStore(), { logger });
    expect(await learner.recordOutcome(TASK, 'gpt-4o', { success: true })).toBe(false);
    const hostile = new Proxy({}, { ownKeys: throwing, get: throwing });
    expect(await recordUntyped(learner, TASK, 'gpt-4o', hostile)).toBe(false);
  });

  it('resolves to a boolean whatever it is given', async () => {
    const learner = new ModelLearner(new MemoryStore(), { logger: captureLogger() });
    await fc.assert(
      fc.asyncProperty(fc.anything(), fc.anything(), fc.anything(), async (taskType, modelId, details) => {
        expect(typeof (await recordUntyped(learner, taskType, modelId, details))).toBe('boolean');
      }),
    );
  });
});
