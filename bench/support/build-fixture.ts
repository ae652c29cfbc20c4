/**
 * Builds one cached fixture, in a child process of its own (its memory is not the orchestrator's),
 * started by fixtures.ts from the compiled copy of this file:
 *
 *   build-fixture.js store <sqlite|json> <count> <dir>
 *   build-fixture.js table - <count> <file>
 *
 * A store is written through the public API with recordMany batches, as the spec asks, and checked
 * before it is kept: a fixture that does not hold what its name says would make every figure wrong.
 */
import { DatabaseSync } from 'node:sqlite';
import { type OutcomeInput, openStore, silentLogger } from '../../src/index.js';
import { historicalOutcomes } from './dataset.js';
import type { Backend } from './figures.js';

/** Outcomes per recordMany while building: big enough to be quick, in the 1,000-10,000 the spec allows. */
const BUILD_BATCH = 1_000;
/** The import source is a different history from the stores' (another seed): no id is shared. */
const TABLE_SEED = 2;
const TABLE_CHUNK = 100_000;

async function buildStore(backend: Backend, count: number, dir: string): Promise<void> {
  // migrate: false — a fixture dir has nothing to migrate, and the build should time only writes.
  const store = await openStore({ dir, backend, fallback: false, migrate: false, logger: silentLogger });
  try {
    let batch: OutcomeInput[] = [];
    for (const input of historicalOutcomes(count)) {
      batch.push(input);
      if (batch.length === BUILD_BATCH) {
        await store.recordMany(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await store.recordMany(batch);
    const stored = (await store.listStats()).reduce((total, stats) => total + stats.samples, 0);
    if (stored !== count) throw new Error(`the ${backend} store holds ${stored} outcomes, expected ${count}`);
  } finally {
    await store.close();
  }
}

/** An llm_task_outcomes table as the runtime's old SQLite logger wrote it (recorded_at in epoch ms). */
function buildTable(count: number, file: string): void {
  const db = new DatabaseSync(file);
  try {
    db.exec(`CREATE TABLE llm_task_outcomes (
      id INTEGER PRIMARY KEY,
      model_id TEXT NOT NULL,
      unit_type TEXT NOT NULL,
      succeeded INTEGER NOT NULL,
      duration_ms INTEGER,
      tokens_total INTEGER,
      cost_usd REAL,
      recorded_at INTEGER NOT NULL
    )`);
    const insert = db.prepare(
      'INSERT INTO llm_task_outcomes (model_id, unit_type, succeeded, duration_ms, tokens_total, cost_usd, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    let written = 0;
    db.exec('BEGIN');
    for (const input of historicalOutcomes(count, TABLE_SEED)) {
      insert.run(
        input.modelId,
        input.taskType,
        input.success ? 1 : 0,
        input.latencyMs ?? null,
        input.tokensUsed ?? null,
        input.costUsd ?? null,
        Date.parse(String(input.timestamp)),
      );
      written += 1;
      if (written % TABLE_CHUNK === 0) db.exec('COMMIT; BEGIN');
    }
    db.exec('COMMIT');
  } finally {
    db.close();
  }
}

const [kind, backend, countText, target] = process.argv.slice(2);
const count = Number(countText);
if (target === undefined || !Number.isSafeInteger(count))
  throw new Error('usage: build-fixture.ts <kind> <backend> <count> <path>');
if (kind === 'table') buildTable(count, target);
else if (kind === 'store' && (backend === 'sqlite' || backend === 'json')) await buildStore(backend, count, target);
else throw new Error(`unknown fixture ${kind} ${backend}`);
