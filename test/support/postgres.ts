import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { beforeAll, describe, it } from 'vitest';
import { describeError } from '../../src/core/errors.js';
import { redactUrl } from '../../src/core/options.js';

/** The server the PostgreSQL suites use: CI runs one on 127.0.0.1:5432 (trust auth, database test). */
export const TEST_PG_URL = process.env.MODEL_PERF_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';

const REQUIRED_IN_CI = process.env.CI === 'true' || process.env.CI === '1';

/** Why the server cannot be used, or undefined when it answers. */
async function probe(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 3000 });
  // A refused connection also emits 'error'; the awaited connect() reports it.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return `PostgreSQL at ${redactUrl(TEST_PG_URL)} is not reachable: ${describeError(error)}`;
  } finally {
    await client.end().catch(() => {});
  }
}

const unavailable = await probe();

/**
 * describe() for a suite that needs the server. Without one, CI fails (a suite that silently skips
 * proves nothing); elsewhere the suite is marked skipped with the reason, and a warning says it did not run.
 */
export function describePostgres(name: string, body: () => void): void {
  if (unavailable === undefined) {
    describe(name, body);
    return;
  }
  const reason = unavailable;
  describe(name, () => {
    if (REQUIRED_IN_CI) {
      it('runs against PostgreSQL, which CI must provide', () => {
        throw new Error(`${reason}. CI must run the PostgreSQL suites: start the server (see .ci/run).`);
      });
      return;
    }
    beforeAll(() => {
      console.warn(`The PostgreSQL suite "${name}" did not run: ${reason}. Set MODEL_PERF_TEST_PG_URL to run it.`);
    });
    it('needs PostgreSQL', (context) => context.skip(reason));
  });
}

/** A schema of its own per test location, so that tests never see each other's rows. */
export function schemaFor(location: string): string {
  return `mp_test_${createHash('sha256').update(location).digest('hex').slice(0, 16)}`;
}

/** Runs one statement on a connection of its own, as an administrator would from psql. */
export async function adminQuery(text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

export async function dropSchemas(schemas: Iterable<string>): Promise<void> {
  const names = [...schemas];
  if (names.length === 0) return;
  await adminQuery(`DROP SCHEMA IF EXISTS ${names.map((name) => `"${name}"`).join(', ')} CASCADE`);
}

/**
 * A store dir and a schema of its own; their removal goes on `cleanups` (the test's list, run after it),
 * the dir's first, then the schema's.
 */
export async function postgresWorkspace(
  prefix: string,
  cleanups: Array<() => Promise<void>>,
): Promise<{ dir: string; schema: string }> {
  const dir = await mkdtemp(join(tmpdir(), `model-perf-${prefix}-`));
  const schema = schemaFor(dir);
  cleanups.push(
    () => rm(dir, { recursive: true, force: true }),
    () => dropSchemas([schema]),
  );
  return { dir, schema };
}

export interface ScratchDatabase {
  url: string;
  /** Set when the locale database could not be made and the test database stands in for it. */
  fallbackReason?: string;
  drop(): Promise<void>;
}

/**
 * A new database whose default collation is ICU en-US (case-insensitive, accents second), so that a
 * query relying on the default collation sorts differently from one on "C". Needs CREATEDB; without
 * it the test database stands in, and the reason says what was not covered.
 */
export async function createLocaleDatabase(): Promise<ScratchDatabase> {
  const name = `mp_locale_${randomBytes(6).toString('hex')}`;
  try {
    await adminQuery(
      `CREATE DATABASE ${name} LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8' TEMPLATE template0`,
    );
  } catch (error) {
    return { url: TEST_PG_URL, fallbackReason: describeError(error), drop: async () => {} };
  }
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(`DROP DATABASE ${name} WITH (FORCE)`).then(() => {}) };
}
