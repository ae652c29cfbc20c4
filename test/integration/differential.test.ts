import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { openJsonStore } from '../../src/backends/json/index.js';
import { openSqliteStore } from '../../src/backends/sqlite/index.js';
import { silentLogger } from '../../src/core/logger.js';
import type { PerformanceStore } from '../../src/core/store.js';
import type { OutcomeInput, SummaryQuery } from '../../src/core/types.js';
import { ModelLearner } from '../../src/index.js';
import type { RankingOptions } from '../../src/learner/ranking.js';
import { collect } from '../contract/fixtures.js';

// A small set of names, one of them a prototype key, so that pairs repeat and plain-object maps would break.
const TASKS = ['execute-task', 'plan-slice', '__proto__'];
const MODELS = ['gpt-4o', 'claude-opus', 'constructor', 'gemini-pro', 'mistral', 'llama-70b'];
const DAY_MS = 86_400_000;
const BASE = Date.parse('2026-02-01T00:00:00.000Z');
const SPAN_DAYS = 40;
// "Now" for the learners: the end of the span, at midday.
const NOW = new Date(BASE + SPAN_DAYS * DAY_MS + DAY_MS / 2);
const RELATIVE_TOLERANCE = 1e-9;

const timestamp = fc.oneof(
  // Quarter hours: ties in time, broken by id.
  fc.integer({ min: 0, max: SPAN_DAYS * 96 }).map((q) => BASE + q * 900_000),
  fc.integer({ min: 0, max: SPAN_DAYS * DAY_MS }).map((ms) => BASE + ms),
);

const outcome: fc.Arbitrary<OutcomeInput> = fc
  .record(
    {
      // Always an id (a generated one would differ between the stores); a small pool, so some repeat.
      id: fc.integer({ min: 0, max: 120 }).map((n) => `id-${n}`),
      taskType: fc.constantFrom(...TASKS),
      modelId: fc.constantFrom(...MODELS),
      success: fc.boolean(),
      timeout: fc.boolean(),
      tokensUsed: fc.nat({ max: 200_000 }),
      costUsd: fc.double({ min: 0, max: 25, noNaN: true }),
      latencyMs: fc.double({ min: 0, max: 120_000, noNaN: true }),
      at: timestamp,
    },
    { requiredKeys: ['id', 'taskType', 'modelId', 'success', 'at'] },
  )
  .map(({ at, ...fields }) => ({ ...fields, timestamp: new Date(at).toISOString() }));

type Step = { kind: 'record'; outcome: OutcomeInput } | { kind: 'batch'; outcomes: OutcomeInput[] };

const step: fc.Arbitrary<Step> = fc.oneof(
  outcome.map((one) => ({ kind: 'record' as const, outcome: one })),
  fc.array(outcome, { minLength: 1, maxLength: 15 }).map((outcomes) => ({ kind: 'batch' as const, outcomes })),
);

async function apply(store: PerformanceStore, steps: readonly Step[]): Promise<unknown[]> {
  const results: unknown[] = [];
  for (const next of steps) {
    results.push(next.kind === 'record' ? await store.record(next.outcome) : await store.recordMany(next.outcomes));
  }
  return results;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Deep equality where two non-integer numbers may differ by a relative 1e-9 (float sums); integers,
 * strings, booleans, nulls, key sets and array lengths must be identical. Returns the first difference.
 */
function difference(json: unknown, sqlite: unknown, path: string): string | undefined {
  if (typeof json === 'number' && typeof sqlite === 'number') {
    if (Object.is(json, sqlite)) return undefined;
    if (Number.isInteger(json) && Number.isInteger(sqlite)) return `${path}: json ${json}, sqlite ${sqlite}`;
    const scale = Math.max(Math.abs(json), Math.abs(sqlite));
    return Math.abs(json - sqlite) <= RELATIVE_TOLERANCE * scale
      ? undefined
      : `${path}: json ${json}, sqlite ${sqlite}`;
  }
  if (Array.isArray(json) && Array.isArray(sqlite)) {
    if (json.length !== sqlite.length) return `${path}: json length ${json.length}, sqlite length ${sqlite.length}`;
    for (const [index, item] of json.entries()) {
      const found = difference(item, sqlite[index], `${path}[${index}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (isRecord(json) && isRecord(sqlite) && !Array.isArray(json) && !Array.isArray(sqlite)) {
    const keys = Object.keys(json).sort();
    const otherKeys = Object.keys(sqlite).sort();
    if (keys.join('\u0000') !== otherKeys.join('\u0000')) {
      return `${path}: json keys ${JSON.stringify(keys)}, sqlite keys ${JSON.stringify(otherKeys)}`;
    }
    for (const key of keys) {
      const found = difference(json[key], sqlite[key], `${path}.${key}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  return Object.is(json, sqlite) ? undefined : `${path}: json ${String(json)}, sqlite ${String(sqlite)}`;
}

function expectSame(json: unknown, sqlite: unknown, label: string): void {
  expect(difference(json, sqlite, label)).toBeUndefined();
}

const SUMMARY_GROUPS = ['model', 'day', 'day+model'] as const;
const WINDOWS: ReadonlyArray<Pick<SummaryQuery, 'since' | 'until'>> = [
  {},
  { since: new Date(BASE + 10 * DAY_MS).toISOString() },
  { until: new Date(BASE + 25 * DAY_MS + 3_600_000).toISOString() },
  { since: new Date(BASE + 5 * DAY_MS).toISOString(), until: new Date(BASE + 30 * DAY_MS).toISOString() },
];
const RANKINGS: readonly RankingOptions[] = [
  { strategy: 'wilson' },
  { strategy: 'raw' },
  { strategy: 'wilson', windowDays: 7 },
  { strategy: 'raw', windowDays: 14.5 },
  { strategy: 'raw', minSamples: 1 },
];

it('JSON and SQLite stores give the same stats, outcomes, summaries and learner answers', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
      const jsonDir = await mkdtemp(join(tmpdir(), 'model-perf-diff-json-'));
      const sqliteDir = await mkdtemp(join(tmpdir(), 'model-perf-diff-sqlite-'));
      const json = await openJsonStore({ dir: jsonDir, logger: silentLogger });
      const sqlite = await openSqliteStore({ dir: sqliteDir, logger: silentLogger });
      try {
        expectSame(await apply(json, steps), await apply(sqlite, steps), 'recorded');
        // Every field, the recency counters too: the same sequence in gives the same decayed values out.
        expectSame(await json.listStats(), await sqlite.listStats(), 'listStats');
        expectSame(await collect(json.outcomes()), await collect(sqlite.outcomes()), 'outcomes');
        expectSame(
          await collect(json.outcomes({ order: 'desc' })),
          await collect(sqlite.outcomes({ order: 'desc' })),
          'outcomes desc',
        );
        for (const groupBy of SUMMARY_GROUPS) {
          for (const bounds of WINDOWS) {
            const query: SummaryQuery = { groupBy, ...bounds };
            expectSame(
              await json.summarize(query),
              await sqlite.summarize(query),
              `summarize ${JSON.stringify(query)}`,
            );
          }
        }

        const policy = { now: () => new Date(NOW), logger: silentLogger };
        const jsonLearner = new ModelLearner(json, policy);
        const sqliteLearner = new ModelLearner(sqlite, policy);
        for (const task of TASKS) {
          for (const options of RANKINGS) {
            const label = `${task} ${JSON.stringify(options)}`;
            expectSame(
              await jsonLearner.getRankedModels(task, options),
              await sqliteLearner.getRankedModels(task, options),
              `getRankedModels ${label}`,
            );
            expectSame(
              await jsonLearner.getABTestCandidates(task, options),
              await sqliteLearner.getABTestCandidates(task, options),
              `getABTestCandidates ${label}`,
            );
          }
          for (const model of MODELS) {
            for (const options of [{}, { windowDays: 10 }, { minSamples: 1, threshold: 0.7 }]) {
              expectSame(
                await jsonLearner.shouldDemote(task, model, options),
                await sqliteLearner.shouldDemote(task, model, options),
                `shouldDemote ${task} ${model} ${JSON.stringify(options)}`,
              );
            }
          }
          for (const options of [{}, { days: 45 }, { days: 7, now: new Date(BASE + 20 * DAY_MS).toISOString() }]) {
            expectSame(
              await jsonLearner.trend(task, options),
              await sqliteLearner.trend(task, options),
              `trend ${task} ${JSON.stringify(options)}`,
            );
          }
        }
      } finally {
        await Promise.all([json.close(), sqlite.close()]);
        await Promise.all([
          rm(jsonDir, { recursive: true, force: true }),
          rm(sqliteDir, { recursive: true, force: true }),
        ]);
      }
    }),
    { numRuns: 30 },
  );
}, 240_000);
