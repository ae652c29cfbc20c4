import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describeError } from '../../src/core/errors.js';
import { redactUrl } from '../../src/core/options.js';

function requiredUrl(): string {
  const url = process.env.MODEL_PERF_TEST_PG_URL;
  if (!url) {
    throw new Error(
      'MODEL_PERF_TEST_PG_URL is not set: run the tests through vitest.config.ts (npm test), whose globalSetup starts PostgreSQL',
    );
  }
  return url;
}

/** The server of every PostgreSQL suite: one the globalSetup started from npm, or the developer's own. */
export const TEST_PG_URL = requiredUrl();

export interface ServerUnderTest {
  url: string;
  /** `server_version_num`, e.g. 180004. */
  versionNum: number;
  /** For test names: "PostgreSQL 18.4 at 127.0.0.1:41234". */
  name: string;
}

async function describeServer(url: string): Promise<ServerUnderTest> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ version: string; num: string }>(
      "SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num",
    );
    const [row] = rows;
    if (row === undefined) throw new Error('the server did not say its version');
    return {
      url,
      versionNum: Number(row.num),
      name: `PostgreSQL ${row.version.split(' ')[0]} at ${new URL(url).host}`,
    };
  } catch (error) {
    throw new Error(`PostgreSQL at ${redactUrl(url)} is not reachable: ${describeError(error)}`);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The version matrix of the contract and parity suites: the main server, then every server of
 * MODEL_PERF_TEST_PG_URLS (the globalSetup puts PostgreSQL 12 there). One that does not answer fails
 * the suite with the reason.
 */
export function serversUnderTest(): Promise<ServerUnderTest[]> {
  const more = (process.env.MODEL_PERF_TEST_PG_URLS ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url !== '');
  return Promise.all([TEST_PG_URL, ...more].map(describeServer));
}

/** A schema of its own per test location, so that tests never see each other's rows. */
export function schemaFor(location: string): string {
  return `mp_test_${createHash('sha256').update(location).digest('hex').slice(0, 16)}`;
}

/** Runs one statement on a connection of its own, as an administrator would from psql. */
export async function adminQuery(text: string, values: unknown[] = [], url = TEST_PG_URL): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

export async function dropSchemas(schemas: Iterable<string>, url = TEST_PG_URL): Promise<void> {
  const names = [...schemas];
  if (names.length === 0) return;
  await adminQuery(`DROP SCHEMA IF EXISTS ${names.map((name) => `"${name}"`).join(', ')} CASCADE`, [], url);
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
  drop(): Promise<void>;
}

/** Whether the server can make a database default to ICU (PostgreSQL 15 and later). */
function hasIcuDatabases(server: ServerUnderTest): boolean {
  return server.versionNum >= 150000;
}

/** The default collation of the database createLocaleDatabase() makes on the server, for test names. */
export function localeCollation(server: ServerUnderTest): string {
  return hasIcuDatabases(server) ? 'ICU en-US' : "the server's default collation";
}

/**
 * A new database on the server whose default collation sorts differently from "C", so that a query
 * relying on the default collation gives another order than one on "C". From PostgreSQL 15 on, that
 * is ICU en-US (case-insensitive, accents second). Before 15 a database cannot default to ICU: the new
 * database then has the server's default, and the servers of 15 and later in the matrix cover the
 * collation. Needs CREATEDB.
 */
export async function createLocaleDatabase(server: ServerUnderTest): Promise<ScratchDatabase> {
  const name = `mp_locale_${randomBytes(6).toString('hex')}`;
  await adminQuery(
    hasIcuDatabases(server)
      ? `CREATE DATABASE ${name} LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8' TEMPLATE template0`
      : `CREATE DATABASE ${name} TEMPLATE template0`,
    [],
    server.url,
  );
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // DROP DATABASE ... WITH (FORCE) is PostgreSQL 13+; every store is closed by then.
    drop: () => adminQuery(`DROP DATABASE ${name}`, [], server.url).then(() => {}),
  };
}
