import { ModelPerfError } from '../../core/errors.js';
import type { StoreInfo } from '../../core/types.js';
import type { Database, Queryable } from './database.js';
import type { PostgresSettings } from './options.js';
import type { Tables } from './queries.js';
import { count } from './rows.js';

/**
 * The version in schema_version of the tables below. Bump it only with a migration from every older version.
 * Version 2: tokens and cost may be NULL (not given), the stats count how many were given (token_samples,
 * cost_samples) and keep the recency counters (core/recency.ts). See upgradeSql for version 1.
 */
export const SCHEMA_VERSION = 2;

/** The stats columns version 2 added, in the form both CREATE TABLE and ADD COLUMN take. */
const STATS_COLUMNS_V2 = [
  'token_samples bigint NOT NULL DEFAULT 0',
  'cost_samples bigint NOT NULL DEFAULT 0',
  'fast_successes double precision NOT NULL DEFAULT 0',
  'fast_failures double precision NOT NULL DEFAULT 0',
  'slow_successes double precision NOT NULL DEFAULT 0',
  'slow_failures double precision NOT NULL DEFAULT 0',
];

/**
 * The SQLite schema's tables, in PostgreSQL types. Every text column that is sorted or compared uses
 * COLLATE "C" (byte order, which for UTF-8 is code-point order): the order of SQLite's BINARY and of
 * the other backends, whatever the database's locale. Timestamps stay ISO 8601 UTC text, as on SQLite:
 * fixed-width (years 0000-9999), so text order is time order, and they read back exactly as written.
 * The outcomes' foreign key is deferred to the commit: a write inserts the outcomes first (a duplicate id
 * must not create a stats row) and only then the stats rows they need (write-outcomes.ts).
 */
/** The counts a stats row and a baseline both keep (their totals differ: a baseline's may be unknown). */
const BASELINE_COUNTS = `successes bigint NOT NULL DEFAULT 0,
  failures bigint NOT NULL DEFAULT 0,
  timeouts bigint NOT NULL DEFAULT 0,`;

function schemaSql(t: Tables): string {
  return `
CREATE SCHEMA IF NOT EXISTS ${t.schema};

CREATE TABLE IF NOT EXISTS ${t.stats} (
  task_type text COLLATE "C" NOT NULL,
  model_id text COLLATE "C" NOT NULL,
  ${BASELINE_COUNTS}
  total_tokens bigint NOT NULL DEFAULT 0,
  total_cost double precision NOT NULL DEFAULT 0,
  total_latency_ms double precision NOT NULL DEFAULT 0,
  latency_samples bigint NOT NULL DEFAULT 0,
  last_used text COLLATE "C",
  ${STATS_COLUMNS_V2.join(',\n  ')},
  PRIMARY KEY (task_type, model_id)
);

CREATE TABLE IF NOT EXISTS ${t.outcomes} (
  outcome_id text COLLATE "C" PRIMARY KEY,
  task_type text COLLATE "C" NOT NULL,
  model_id text COLLATE "C" NOT NULL,
  success boolean NOT NULL,
  timeout boolean NOT NULL,
  tokens_used bigint,
  cost_usd double precision,
  latency_ms double precision,
  "timestamp" text COLLATE "C" NOT NULL,
  FOREIGN KEY (task_type, model_id) REFERENCES ${t.stats} (task_type, model_id) DEFERRABLE INITIALLY DEFERRED
);

-- Per-task reads within a time window, and their keyset pages in stream order (as on SQLite).
CREATE INDEX IF NOT EXISTS model_outcomes_task_time ON ${t.outcomes} (task_type, "timestamp", outcome_id);
-- Reads without a task: streaming everything in order, and time windows across tasks.
CREATE INDEX IF NOT EXISTS model_outcomes_time ON ${t.outcomes} ("timestamp", outcome_id);

CREATE TABLE IF NOT EXISTS ${t.sources} (
  source_id text COLLATE "C" PRIMARY KEY,
  kind text NOT NULL,
  imported_at text COLLATE "C" NOT NULL,
  -- JSON text rather than jsonb: jsonb rejects a \\u0000 that a detail string may hold.
  details text
);

CREATE TABLE IF NOT EXISTS ${t.baselines} (
  source_id text COLLATE "C" NOT NULL REFERENCES ${t.sources} (source_id),
  task_type text COLLATE "C" NOT NULL,
  model_id text COLLATE "C" NOT NULL,
  ${BASELINE_COUNTS}
  total_tokens bigint,
  total_cost double precision,
  last_used text COLLATE "C",
  PRIMARY KEY (source_id, task_type, model_id),
  FOREIGN KEY (task_type, model_id) REFERENCES ${t.stats} (task_type, model_id)
);

-- Federated priors: no foreign key to model_stats, since a peer may know models this store never ran.
CREATE TABLE IF NOT EXISTS ${t.federated} (
  task_type text COLLATE "C" NOT NULL,
  model_id text COLLATE "C" NOT NULL,
  source_id text COLLATE "C" NOT NULL,
  exported_at text COLLATE "C" NOT NULL,
  imported_at text COLLATE "C" NOT NULL,
  successes bigint NOT NULL,
  failures bigint NOT NULL,
  timeouts bigint NOT NULL,
  total_tokens bigint,
  total_cost double precision,
  last_used text COLLATE "C",
  PRIMARY KEY (task_type, model_id, source_id)
);

CREATE INDEX IF NOT EXISTS federated_stats_source ON ${t.federated} (source_id);

-- One row: the version of these tables, read before anything else by every store that opens them.
CREATE TABLE IF NOT EXISTS ${t.version} (
  version integer NOT NULL
);
INSERT INTO ${t.version} (version) SELECT ${SCHEMA_VERSION} WHERE NOT EXISTS (SELECT 1 FROM ${t.version});
`;
}

/**
 * Version 1 to 2. Every version 1 outcome and baseline carried tokens and cost (0 when not given), so
 * each sample counts as a value; the recency counters start at 0 (history, not recent evidence).
 */
function upgradeSql(t: Tables): string {
  return `
ALTER TABLE ${t.stats} ${STATS_COLUMNS_V2.map((column) => `ADD COLUMN IF NOT EXISTS ${column}`).join(', ')};
UPDATE ${t.stats} SET token_samples = successes + failures, cost_samples = successes + failures;
ALTER TABLE ${t.outcomes} ALTER COLUMN tokens_used DROP NOT NULL, ALTER COLUMN cost_usd DROP NOT NULL;
ALTER TABLE ${t.baselines} ALTER COLUMN total_tokens DROP NOT NULL, ALTER COLUMN total_tokens DROP DEFAULT,
  ALTER COLUMN total_cost DROP NOT NULL, ALTER COLUMN total_cost DROP DEFAULT;
ALTER TABLE ${t.federated} ALTER COLUMN total_tokens DROP NOT NULL, ALTER COLUMN total_cost DROP NOT NULL;
UPDATE ${t.version} SET version = ${SCHEMA_VERSION};
`;
}

/** The tables' version, or undefined when they do not exist yet. */
export async function readSchemaVersion(db: Queryable, tables: Tables): Promise<number | undefined> {
  const found = await db.query('SELECT to_regclass($1) IS NOT NULL AS present', [tables.version]);
  if (found.rows[0]?.present !== true) return undefined;
  const row = (await db.query(`SELECT max(version) AS version FROM ${tables.version}`)).rows[0];
  return row === undefined || row.version === null ? undefined : count(row, 'version');
}

/** Refuses tables written by a newer model-perf: this one would misread or damage them. */
function refuseNewer(version: number | undefined, where: string): void {
  if (version === undefined || version <= SCHEMA_VERSION) return;
  throw new ModelPerfError(
    'MP_BACKEND_UNAVAILABLE',
    `The model-perf tables in ${where} have schema version ${version}, newer than the version ${SCHEMA_VERSION} ` +
      'this model-perf knows. They were written by a newer model-perf: upgrade model-perf to use them.',
  );
}

/**
 * Creates the schema and its tables on first use. Many processes may open a new schema at once: an
 * advisory lock (per schema name, held until the transaction ends) lets one create it while the
 * others wait, then find it made. An existing schema at this version costs one read, and no lock.
 */
export async function ensureSchema(db: Database, tables: Tables, where: string): Promise<void> {
  const version = await readSchemaVersion(db, tables);
  refuseNewer(version, where);
  if (version === SCHEMA_VERSION) return;
  await db.transaction(async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`model-perf schema ${tables.schema}`]);
    const now = await readSchemaVersion(client, tables);
    refuseNewer(now, where);
    if (now === SCHEMA_VERSION) return;
    await client.query(now === 1 ? upgradeSql(tables) : schemaSql(tables));
  });
}

/** The indexes the reads rely on: without them every page of outcomes() would scan the table. */
const INDEXES = ['model_outcomes_task_time', 'model_outcomes_time', 'federated_stats_source'];

/**
 * Checks what a recount cannot see, reading the catalog only: the version row, and every table and
 * index of the schema. One sentence per problem; none when all is in place. Changes nothing.
 */
export async function checkIntegrity(db: Database, t: Tables): Promise<string[]> {
  const problems: string[] = [];
  const tables = [t.stats, t.outcomes, t.sources, t.baselines, t.federated, t.version];
  const relations = [...tables, ...INDEXES.map((name) => `${t.schema}.${name}`)];
  const found = await db.query(
    'SELECT name, to_regclass(name) IS NOT NULL AS present FROM unnest($1::text[]) AS name',
    [relations],
  );
  for (const row of found.rows) {
    if (row.present !== true) problems.push(`${String(row.name)} is missing.`);
  }
  if (problems.some((problem) => problem.startsWith(`${t.version} `))) return problems;
  const versions = (await db.query(`SELECT version FROM ${t.version}`)).rows.map((row) => count(row, 'version'));
  if (versions.length !== 1 || versions[0] !== SCHEMA_VERSION) {
    problems.push(`${t.version} should hold the one version ${SCHEMA_VERSION}, but holds [${versions.join(', ')}].`);
  }
  return problems;
}

/** dir is where an offline fallback keeps its files; the data itself lives at `location`. */
export function describeStore(settings: PostgresSettings): StoreInfo {
  const { dir, location, schema, selection } = settings;
  return {
    backend: 'postgres',
    degraded: selection.degraded,
    reason: selection.reason,
    dir,
    files: [],
    schemaVersion: SCHEMA_VERSION,
    nodeVersion: process.versions.node,
    sqliteVersion: null,
    warnings: [...selection.warnings],
    location: `${location} (schema ${schema})`,
  };
}
