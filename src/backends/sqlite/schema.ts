import type { DatabaseSync } from 'node:sqlite';
import { ModelPerfError } from '../../core/errors.js';
import { inWriteTransaction } from './connection.js';
import { number } from './rows.js';

/**
 * PRAGMA user_version of the schema below. Bump it only with a migration from every older version.
 * Version 2: tokens and cost may be NULL (not given), model_stats counts how many were given
 * (token_samples, cost_samples) and keeps the recency counters (core/recency.ts).
 */
export const SCHEMA_VERSION = 2;

/** The counts a stats row and a baseline both keep (their totals differ: a baseline's may be unknown). */
const BASELINE_COUNTS = `successes INTEGER NOT NULL DEFAULT 0,
  failures INTEGER NOT NULL DEFAULT 0,
  timeouts INTEGER NOT NULL DEFAULT 0,`;

/** The tables whose columns became nullable in version 2, by a function of the name to create them under. */
const OUTCOMES_TABLE = (name: string): string => `
CREATE TABLE IF NOT EXISTS ${name} (
  outcome_id TEXT NOT NULL UNIQUE,
  task_type TEXT NOT NULL,
  model_id TEXT NOT NULL,
  success INTEGER NOT NULL CHECK (success IN (0, 1)),
  timeout INTEGER NOT NULL CHECK (timeout IN (0, 1)),
  tokens_used INTEGER,
  cost_usd REAL,
  latency_ms REAL,
  timestamp TEXT NOT NULL,
  FOREIGN KEY (task_type, model_id) REFERENCES model_stats (task_type, model_id)
) STRICT;`;

const BASELINES_TABLE = (name: string): string => `
CREATE TABLE IF NOT EXISTS ${name} (
  source_id TEXT NOT NULL REFERENCES imported_sources (source_id),
  task_type TEXT NOT NULL,
  model_id TEXT NOT NULL,
  ${BASELINE_COUNTS}
  total_tokens INTEGER,
  total_cost REAL,
  last_used TEXT,
  PRIMARY KEY (source_id, task_type, model_id),
  FOREIGN KEY (task_type, model_id) REFERENCES model_stats (task_type, model_id)
) STRICT;`;

const FEDERATED_TABLE = (name: string): string => `
CREATE TABLE IF NOT EXISTS ${name} (
  task_type TEXT NOT NULL,
  model_id TEXT NOT NULL,
  source_id TEXT NOT NULL,
  exported_at TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  successes INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  timeouts INTEGER NOT NULL,
  total_tokens INTEGER,
  total_cost REAL,
  last_used TEXT,
  PRIMARY KEY (task_type, model_id, source_id)
) STRICT;`;

/** The model_stats columns version 2 added: the counts of given values, and the recency counters. */
const STATS_COLUMNS_V2 = `
  token_samples INTEGER NOT NULL DEFAULT 0,
  cost_samples INTEGER NOT NULL DEFAULT 0,
  fast_successes REAL NOT NULL DEFAULT 0,
  fast_failures REAL NOT NULL DEFAULT 0,
  slow_successes REAL NOT NULL DEFAULT 0,
  slow_failures REAL NOT NULL DEFAULT 0`;

/**
 * STRICT tables make SQLite enforce the declared column types, so a row read back always has the types
 * the decoders expect. The migration tables (imported_sources, model_baselines) exist from version 1 so
 * that the legacy import does not need a schema change: baselines are counted in model_stats, but they
 * are not raw outcomes. federated_stats holds other installations' aggregates, which are never counted
 * in model_stats.
 */

const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS model_stats (
  task_type TEXT NOT NULL,
  model_id TEXT NOT NULL,
  ${BASELINE_COUNTS}
  total_tokens INTEGER NOT NULL DEFAULT 0,
  total_cost REAL NOT NULL DEFAULT 0,
  total_latency_ms REAL NOT NULL DEFAULT 0,
  latency_samples INTEGER NOT NULL DEFAULT 0,
  last_used TEXT,${STATS_COLUMNS_V2},
  PRIMARY KEY (task_type, model_id)
) STRICT;
${OUTCOMES_TABLE('model_outcomes')}

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

${BASELINES_TABLE('model_baselines')}

-- Federated priors (ModelLearner.importStats): no foreign key to model_stats, since a peer may know
-- models this store never ran, and they must not create stats rows. The key serves the per-task read
-- of a ranking in its listing order; importing a source again deletes its rows by the source index.
${FEDERATED_TABLE('federated_stats')}

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

/**
 * Version 1 to 2, in the schema-creation transaction. model_stats gains its columns; every version 1
 * outcome and baseline carried tokens and cost (0 when not given), so each sample counts as a value,
 * and the recency counters start at 0 (history, not recent evidence). SQLite cannot drop a NOT NULL, so
 * the tables whose columns became nullable are copied into new ones (in insertion order) and swapped;
 * their indexes go with the old tables and are made again by SCHEMA_SQL.
 */
function upgradeFromVersion1(db: DatabaseSync): void {
  for (const column of STATS_COLUMNS_V2.split(',')) db.exec(`ALTER TABLE model_stats ADD COLUMN ${column.trim()}`);
  db.exec('UPDATE model_stats SET token_samples = successes + failures, cost_samples = successes + failures');
  const rebuilt: Array<[string, (name: string) => string]> = [
    ['model_outcomes', OUTCOMES_TABLE],
    ['model_baselines', BASELINES_TABLE],
    ['federated_stats', FEDERATED_TABLE],
  ];
  for (const [table, create] of rebuilt) {
    db.exec(`${create(`${table}_next`)}
INSERT INTO ${table}_next SELECT * FROM ${table} ORDER BY rowid;
DROP TABLE ${table};
ALTER TABLE ${table}_next RENAME TO ${table};`);
  }
}

/** Creates the schema, or upgrades an older one, unless another connection did so first. */
export function createSchema(db: DatabaseSync, file: string): void {
  inWriteTransaction(db, () => {
    // Several processes may open a new store at once: the first one to get the write lock creates it.
    const version = readUserVersion(db);
    refuseNewerSchema(version, file);
    if (version === SCHEMA_VERSION) return;
    if (version === 1) upgradeFromVersion1(db);
    db.exec(SCHEMA_SQL);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
  });
}
