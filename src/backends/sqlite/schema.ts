import type { DatabaseSync } from 'node:sqlite';
import { ModelPerfError } from '../../core/errors.js';
import { inWriteTransaction } from './connection.js';
import { number } from './rows.js';

/** PRAGMA user_version of the schema below. Bump it only with a migration from every older version. */
export const SCHEMA_VERSION = 1;

/**
 * STRICT tables make SQLite enforce the declared column types, so a row read back always has the types
 * the decoders expect. The migration tables (imported_sources, model_baselines) exist from version 1 so
 * that the legacy import does not need a schema change: baselines are counted in model_stats, but they
 * are not raw outcomes. federated_stats holds other installations' aggregates, which are never counted
 * in model_stats.
 */
/** The counts a stats row and a baseline both keep. */
const BASELINE_COUNTS = `successes INTEGER NOT NULL DEFAULT 0,
  failures INTEGER NOT NULL DEFAULT 0,
  timeouts INTEGER NOT NULL DEFAULT 0,
  total_tokens INTEGER NOT NULL DEFAULT 0,
  total_cost REAL NOT NULL DEFAULT 0,`;

const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS model_stats (
  task_type TEXT NOT NULL,
  model_id TEXT NOT NULL,
  ${BASELINE_COUNTS}
  total_latency_ms REAL NOT NULL DEFAULT 0,
  latency_samples INTEGER NOT NULL DEFAULT 0,
  last_used TEXT,
  PRIMARY KEY (task_type, model_id)
) STRICT;

CREATE TABLE IF NOT EXISTS model_outcomes (
  outcome_id TEXT NOT NULL UNIQUE,
  task_type TEXT NOT NULL,
  model_id TEXT NOT NULL,
  success INTEGER NOT NULL CHECK (success IN (0, 1)),
  timeout INTEGER NOT NULL CHECK (timeout IN (0, 1)),
  tokens_used INTEGER NOT NULL,
  cost_usd REAL NOT NULL,
  latency_ms REAL,
  timestamp TEXT NOT NULL,
  FOREIGN KEY (task_type, model_id) REFERENCES model_stats (task_type, model_id)
) STRICT;

-- Serves every per-task read: outcomes() by task (and model) within a time window, its keyset pages
-- (timestamp, outcome_id is exactly the stream order, so no sort), and summarize() over a window.
-- A model filter is applied to the rows of the task's window; a task has few models. It also carries
-- every column summarize() reads, so a window's summary (the learner's trend and windowed ranking) is
-- an index-only scan: at a million outcomes that halves a 30-day trend, for a few percent per write.
CREATE INDEX IF NOT EXISTS model_outcomes_task_time
  ON model_outcomes (task_type, timestamp, outcome_id, model_id, success, timeout, tokens_used, cost_usd, latency_ms);

-- Serves the reads without a task: streaming everything in order (exports, dashboard) and time windows
-- across tasks. Without it every keyset page of such a stream would scan and sort the whole table.
CREATE INDEX IF NOT EXISTS model_outcomes_time ON model_outcomes (timestamp, outcome_id);

CREATE TABLE IF NOT EXISTS imported_sources (
  source_id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  details TEXT
) STRICT;

CREATE TABLE IF NOT EXISTS model_baselines (
  source_id TEXT NOT NULL REFERENCES imported_sources (source_id),
  task_type TEXT NOT NULL,
  model_id TEXT NOT NULL,
  ${BASELINE_COUNTS}
  last_used TEXT,
  PRIMARY KEY (source_id, task_type, model_id),
  FOREIGN KEY (task_type, model_id) REFERENCES model_stats (task_type, model_id)
) STRICT;

-- Federated priors (ModelLearner.importStats): no foreign key to model_stats, since a peer may know
-- models this store never ran, and they must not create stats rows. The key serves the per-task read
-- of a ranking in its listing order; importing a source again deletes its rows by the source index.
CREATE TABLE IF NOT EXISTS federated_stats (
  task_type TEXT NOT NULL,
  model_id TEXT NOT NULL,
  source_id TEXT NOT NULL,
  exported_at TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  successes INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  timeouts INTEGER NOT NULL,
  total_tokens INTEGER NOT NULL,
  total_cost REAL NOT NULL,
  last_used TEXT,
  PRIMARY KEY (task_type, model_id, source_id)
) STRICT;

CREATE INDEX IF NOT EXISTS federated_stats_source ON federated_stats (source_id);
`;

export function readUserVersion(db: DatabaseSync): number {
  return number(db.prepare('PRAGMA user_version').get() ?? {}, 'user_version');
}

/** Refuses a database written by a newer model-perf: this one would misread or damage it. */
export function refuseNewerSchema(version: number, file: string): void {
  if (version <= SCHEMA_VERSION) return;
  throw new ModelPerfError(
    'MP_BACKEND_UNAVAILABLE',
    `${file} has schema version ${version}, newer than the version ${SCHEMA_VERSION} this model-perf knows. ` +
      'It was written by a newer model-perf: upgrade model-perf to open it.',
    { file },
  );
}

/** Creates the schema unless another connection did so first. */
export function createSchema(db: DatabaseSync, file: string): void {
  inWriteTransaction(db, () => {
    // Several processes may open a new store at once: the first one to get the write lock creates it.
    const version = readUserVersion(db);
    refuseNewerSchema(version, file);
    if (version === SCHEMA_VERSION) return;
    db.exec(SCHEMA_SQL);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
  });
}
