import type pg from 'pg';
import { describeError, ModelPerfError } from '../../core/errors.js';

export type PgModule = typeof pg;

/**
 * Imports pg when a PostgreSQL store opens, never before: pg is an optional peer dependency, so
 * importing model-perf (or choosing SQLite or JSON) must work without it.
 */
export async function loadPg(): Promise<PgModule> {
  try {
    return (await import('pg')).default;
  } catch (error) {
    throw new ModelPerfError(
      'MP_BACKEND_UNAVAILABLE',
      `The PostgreSQL backend needs the pg package, which could not be loaded (${describeError(error)}). ` +
        'Install it next to model-perf: npm install pg',
      { cause: error },
    );
  }
}
