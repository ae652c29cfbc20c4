import type { StatsCounters } from '../../core/stats.js';
import { compareText } from '../../core/stats.js';
import type { Queryable } from './database.js';
import { toStats } from './rows.js';
import type { Tables } from './tables.js';

export interface Pair {
  taskType: string;
  modelId: string;
}

export type PairCounters = Map<string, Pair & { counters: StatsCounters }>;

export function pairKey({ taskType, modelId }: Pair): string {
  return JSON.stringify([taskType, modelId]);
}

/**
 * Locks the pairs' stats rows for this transaction and reads them, creating a missing row empty (as the
 * first outcome of a pair would). One upsert locks them all, in (task type, model) order: every writer
 * takes its locks in that order, so two batches over the same pairs wait for each other instead of
 * deadlocking. The no-op update only exists to lock and return a row that is already there.
 */
export async function lockPairs(db: Queryable, t: Tables, pairs: Iterable<Pair>): Promise<PairCounters> {
  const unique = new Map<string, Pair>();
  for (const pair of pairs) unique.set(pairKey(pair), pair);
  const sorted = [...unique.values()].sort(
    (a, b) => compareText(a.taskType, b.taskType) || compareText(a.modelId, b.modelId),
  );
  const result = await db.query(
    `INSERT INTO ${t.stats} AS stats (task_type, model_id)
     SELECT task_type, model_id FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS p(task_type, model_id, n)
     ORDER BY n
     ON CONFLICT (task_type, model_id) DO UPDATE SET successes = stats.successes
     RETURNING *`,
    [sorted.map((pair) => pair.taskType), sorted.map((pair) => pair.modelId)],
  );
  const locked: PairCounters = new Map();
  for (const row of result.rows) {
    const { taskType, modelId, samples: _samples, successRate: _rate, ...counters } = toStats(row);
    locked.set(pairKey({ taskType, modelId }), { taskType, modelId, counters });
  }
  return locked;
}

/** Writes the pairs' counters back (rows locked by lockPairs), in one statement. */
export async function writePairs(db: Queryable, t: Tables, pairs: PairCounters): Promise<void> {
  const rows = [...pairs.values()];
  const column = <K extends keyof StatsCounters>(key: K): Array<StatsCounters[K]> =>
    rows.map((row) => row.counters[key]);
  await db.query(
    `UPDATE ${t.stats} AS stats
     SET successes = v.successes, failures = v.failures, timeouts = v.timeouts, total_tokens = v.total_tokens,
         total_cost = v.total_cost, total_latency_ms = v.total_latency_ms, latency_samples = v.latency_samples,
         last_used = v.last_used, token_samples = v.token_samples, cost_samples = v.cost_samples,
         fast_successes = v.fast_successes, fast_failures = v.fast_failures,
         slow_successes = v.slow_successes, slow_failures = v.slow_failures
     FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[],
                 $7::double precision[], $8::double precision[], $9::bigint[], $10::text[], $11::bigint[],
                 $12::bigint[], $13::double precision[], $14::double precision[], $15::double precision[],
                 $16::double precision[])
          AS v(task_type, model_id, successes, failures, timeouts, total_tokens, total_cost, total_latency_ms,
               latency_samples, last_used, token_samples, cost_samples, fast_successes, fast_failures,
               slow_successes, slow_failures)
     WHERE stats.task_type = v.task_type AND stats.model_id = v.model_id`,
    [
      rows.map((row) => row.taskType),
      rows.map((row) => row.modelId),
      column('successes'),
      column('failures'),
      column('timeouts'),
      column('totalTokens'),
      column('totalCost'),
      column('totalLatencyMs'),
      column('latencySamples'),
      column('lastUsed'),
      column('tokenSamples'),
      column('costSamples'),
      column('fastSuccesses'),
      column('fastFailures'),
      column('slowSuccesses'),
      column('slowFailures'),
    ],
  );
}
