import type { Database } from './database.js';
import { count } from './rows.js';
import { SCHEMA_VERSION } from './schema.js';
import type { Tables } from './tables.js';

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
