import { FAST_DECAY, SLOW_DECAY } from '../../core/recency.js';
import { addOutcome } from '../../core/stats.js';
import type { Outcome } from '../../core/types.js';
import type { Database, Queryable } from './database.js';
import type { Tables } from './queries.js';
import { lockPairs, OUTCOME_COLUMNS, pairKey, toOutcome, writePairs } from './rows.js';

/**
 * record(): one statement, atomic on its own. The raw row goes in unless its id is stored already, and
 * the stats row is fed only by what was inserted, so a known id touches no stats at all. The recency
 * counters step in the same upsert, with core/recency.ts's decays inlined.
 */
function insertOne(t: Tables): string {
  return `
WITH inserted AS (
  INSERT INTO ${t.outcomes} (${OUTCOME_COLUMNS})
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
  ON CONFLICT (outcome_id) DO NOTHING
  RETURNING task_type, model_id, success, timeout, tokens_used, cost_usd, latency_ms, "timestamp"
)
INSERT INTO ${t.stats} AS stats (task_type, model_id, successes, failures, timeouts, total_tokens, token_samples,
                                 total_cost, cost_samples, total_latency_ms, latency_samples, last_used,
                                 fast_successes, fast_failures, slow_successes, slow_failures)
SELECT task_type, model_id, success::int, (NOT success)::int, timeout::int,
       coalesce(tokens_used, 0), (tokens_used IS NOT NULL)::int, coalesce(cost_usd, 0), (cost_usd IS NOT NULL)::int,
       coalesce(latency_ms, 0), (latency_ms IS NOT NULL)::int, "timestamp",
       success::int, (NOT success)::int, success::int, (NOT success)::int
FROM inserted
ON CONFLICT (task_type, model_id) DO UPDATE SET
  successes = stats.successes + excluded.successes,
  failures = stats.failures + excluded.failures,
  timeouts = stats.timeouts + excluded.timeouts,
  total_tokens = stats.total_tokens + excluded.total_tokens,
  token_samples = stats.token_samples + excluded.token_samples,
  total_cost = stats.total_cost + excluded.total_cost,
  cost_samples = stats.cost_samples + excluded.cost_samples,
  total_latency_ms = stats.total_latency_ms + excluded.total_latency_ms,
  latency_samples = stats.latency_samples + excluded.latency_samples,
  last_used = CASE WHEN stats.last_used IS NULL OR excluded.last_used > stats.last_used
                   THEN excluded.last_used ELSE stats.last_used END,
  fast_successes = stats.fast_successes * ${FAST_DECAY} + excluded.fast_successes,
  fast_failures = stats.fast_failures * ${FAST_DECAY} + excluded.fast_failures,
  slow_successes = stats.slow_successes * ${SLOW_DECAY} + excluded.slow_successes,
  slow_failures = stats.slow_failures * ${SLOW_DECAY} + excluded.slow_failures`;
}

/** recordMany(): every new row in one statement, in id order (so that batches sharing ids lock them alike). */
function insertMany(t: Tables): string {
  return `
INSERT INTO ${t.outcomes} (${OUTCOME_COLUMNS})
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::boolean[], $6::bigint[],
                     $7::double precision[], $8::double precision[], $9::text[])
ORDER BY 1
ON CONFLICT (outcome_id) DO NOTHING
RETURNING outcome_id`;
}

async function findStored(db: Queryable, t: Tables, ids: readonly string[]): Promise<Map<string, Outcome>> {
  const stored = new Map<string, Outcome>();
  if (ids.length === 0) return stored;
  const result = await db.query(`SELECT ${OUTCOME_COLUMNS} FROM ${t.outcomes} WHERE outcome_id = ANY($1::text[])`, [
    ids,
  ]);
  for (const row of result.rows) {
    const outcome = toOutcome(row);
    stored.set(outcome.id, outcome);
  }
  return stored;
}

async function writeOne(db: Queryable, t: Tables, outcome: Outcome): Promise<Map<string, Outcome>> {
  const { id, taskType, modelId, success, timeout, tokensUsed, costUsd, latencyMs, timestamp } = outcome;
  const result = await db.query(insertOne(t), [
    id,
    taskType,
    modelId,
    success,
    timeout,
    tokensUsed,
    costUsd,
    latencyMs,
    timestamp,
  ]);
  return result.rowCount === 1 ? new Map() : findStored(db, t, [id]);
}

/**
 * Inserts the rows, then adds the new ones to their pairs' counters in JavaScript, in input order, with
 * the same addOutcome the JSON backend uses: each pair's float sums come out bit for bit as on SQLite,
 * which adds one outcome at a time. The outcomes' foreign key is checked at commit (it is deferred), by
 * when every pair's stats row exists.
 */
async function writeMany(db: Queryable, t: Tables, outcomes: readonly Outcome[]): Promise<Map<string, Outcome>> {
  const column = <K extends keyof Outcome>(key: K): Array<Outcome[K]> => outcomes.map((outcome) => outcome[key]);
  const result = await db.query(insertMany(t), [
    column('id'),
    column('taskType'),
    column('modelId'),
    column('success'),
    column('timeout'),
    column('tokensUsed'),
    column('costUsd'),
    column('latencyMs'),
    column('timestamp'),
  ]);
  const inserted = new Set(result.rows.map((row) => row.outcome_id));
  const fresh = outcomes.filter((outcome) => inserted.has(outcome.id));
  if (fresh.length > 0) {
    const pairs = await lockPairs(db, t, fresh);
    for (const outcome of fresh) {
      const pair = pairs.get(pairKey(outcome));
      if (pair === undefined) throw new Error(`model-perf: the stats row of ${pairKey(outcome)} was not locked`);
      addOutcome(pair.counters, outcome);
    }
    await writePairs(db, t, pairs);
  }
  return findStored(
    db,
    t,
    outcomes.filter((outcome) => !inserted.has(outcome.id)).map((outcome) => outcome.id),
  );
}

/**
 * Writes outcomes atomically. An id already stored, in the database or earlier in the batch, changes
 * nothing and yields the stored outcome, so a retried record() counts once, whichever process sent it
 * first. The first of each id in the batch is the one written.
 */
export async function writeOutcomes(db: Database, t: Tables, outcomes: readonly Outcome[]): Promise<Outcome[]> {
  const first = new Map<string, Outcome>();
  for (const outcome of outcomes) if (!first.has(outcome.id)) first.set(outcome.id, outcome);
  const unique = [...first.values()];
  const [only] = unique;
  const stored =
    unique.length === 1 && only !== undefined
      ? await writeOne(db, t, only)
      : await db.transaction((client) => writeMany(client, t, unique));
  return outcomes.map((outcome) => stored.get(outcome.id) ?? first.get(outcome.id) ?? outcome);
}
