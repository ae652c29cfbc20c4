import { readdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/backends/postgres/index.js';
import { openStore, type PerformanceStore, silentLogger } from '../../src/index.js';
import { collect, outcomeAt } from '../contract/fixtures.js';
import { expectRecountMatches } from '../contract/recount.js';
import { captureLogger } from '../support/capture-logger.js';
import { FIXTURES, runChild } from '../support/children.js';
import { adminQuery, postgresWorkspace, TEST_PG_URL } from '../support/postgres.js';
import { TcpProxy } from '../support/tcp-proxy.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A store dir and a schema of its own, removed after the test. */
function workspace(): Promise<{ dir: string; schema: string }> {
  return postgresWorkspace('offline', cleanups);
}

function urlWith(changes: { port?: number; password?: string; applicationName?: string }): string {
  const url = new URL(TEST_PG_URL);
  if (changes.port !== undefined) url.port = String(changes.port);
  if (changes.password !== undefined) url.password = changes.password;
  if (changes.applicationName !== undefined) url.searchParams.set('application_name', changes.applicationName);
  return url.toString();
}

async function startProxy(): Promise<TcpProxy> {
  const target = new URL(TEST_PG_URL);
  const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  await proxy.start();
  cleanups.push(() => proxy.stop());
  return proxy;
}

async function open(options: Parameters<typeof openStore>[0]): Promise<PerformanceStore> {
  const store = await openStore(options);
  cleanups.push(() => store.close());
  return store;
}

/** The server's own view of the schema, read without the offline-first wrapper. */
async function onServer(dir: string, schema: string): Promise<{ ids: string[]; samples: number; imports: string[] }> {
  const store = await openPostgresStore({ dir, url: TEST_PG_URL, schema, logger: silentLogger });
  try {
    await expectRecountMatches(store, expect);
    return {
      ids: (await collect(store.outcomes())).map((outcome) => outcome.id).sort(),
      samples: (await store.listStats()).reduce((sum, row) => sum + row.samples, 0),
      imports: (await store.listImports()).map((record) => record.kind),
    };
  } finally {
    await store.close();
  }
}

/** Calls the store until it runs on PostgreSQL again: reconnection is tried on calls, after a backoff. */
async function untilOnline(store: PerformanceStore, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (store.info.degraded) {
    if (Date.now() > deadline) throw new Error(`still offline after ${timeoutMs} ms: ${store.info.reason}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await store.listStats();
  }
}

const ids = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, n) => `${prefix}-${n}`);

async function absorbedArchives(dir: string): Promise<string[]> {
  const names = await readdir(join(dir, 'backups')).catch(() => []);
  return names.filter((name) => name.startsWith('json-store.absorbed-'));
}

describe('PostgreSQL offline-first', () => {
  it('opens on local JSON when the server is unreachable, and pushes it all exactly once when it is back', async () => {
    const { dir, schema } = await workspace();
    const proxy = await startProxy();
    await proxy.stop();
    const logger = captureLogger();
    const url = urlWith({ port: proxy.port });
    const store = await open({ dir, backend: 'postgres', url, postgresSchema: schema, logger });
    expect(store.info).toMatchObject({ backend: 'json', degraded: true });
    expect(store.info.reason).toMatch(/^JSON \(fallback\): PostgreSQL at postgres:\/\/.*:\d+\/\w+ .*cannot be used/);
    expect(store.info.warnings).toContain(store.info.reason);
    expect(store.info.location).toBe(`${url} (schema ${schema})`);
    expect(logger.lines.filter((line) => line.level === 'warn')).toHaveLength(1);

    const offline = ids('offline', 30);
    await store.recordMany(offline.slice(0, 10).map((id, n) => outcomeAt(n, { id })));
    for (const [n, id] of offline.slice(10).entries()) await store.record(outcomeAt(10 + n, { id }));
    // A retried id counts once, offline too.
    await store.record(outcomeAt(0, { id: 'offline-0' }));
    expect(await store.getStats('execute-task', 'gpt-4o')).toMatchObject({ samples: 30 });

    await proxy.start();
    await untilOnline(store);
    expect(store.info).toMatchObject({ backend: 'postgres', degraded: false, warnings: [] });
    expect(await onServer(dir, schema)).toEqual({ ids: [...offline].sort(), samples: 30, imports: ['degraded-json'] });
    expect(await absorbedArchives(dir)).toHaveLength(1);

    await store.record(outcomeAt(40, { id: 'online-0' }));
    await store.close();
    // A new session pushes nothing twice.
    const again = await open({ dir, backend: 'postgres', url, postgresSchema: schema, logger: silentLogger });
    expect(again.info.degraded).toBe(false);
    expect((await onServer(dir, schema)).samples).toBe(31);
  });

  it('keeps every call working when the server goes away mid-run, and pushes what it missed exactly once', async () => {
    const { dir, schema } = await workspace();
    const proxy = await startProxy();
    const url = urlWith({ port: proxy.port });
    const first = await open({ dir, backend: 'postgres', url, postgresSchema: schema, logger: silentLogger });
    await first.recordMany(ids('before', 20).map((id, n) => outcomeAt(n, { id })));
    // Its close leaves the server's stats as the snapshot a local session starts from.
    await first.close();

    const store = await open({ dir, backend: 'postgres', url, postgresSchema: schema, logger: silentLogger });
    expect(store.info.backend).toBe('postgres');
    // Calls in flight when the connections are cut: none may fail, none may count twice.
    const during = ids('during', 200);
    const pending = during.map((id, n) => store.record(outcomeAt(n % 48, { id, modelId: `m-${n % 3}` })));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await proxy.stop();
    await Promise.all(pending);
    const after = ids('after', 25);
    await store.recordMany(after.map((id, n) => outcomeAt(n, { id })));
    expect(store.info).toMatchObject({ backend: 'json', degraded: true });
    // Offline reads: the server's last snapshot plus what was recorded locally.
    const offlineTotal = (await store.listStats()).reduce((sum, row) => sum + row.samples, 0);
    expect(offlineTotal).toBeGreaterThanOrEqual(20 + 25);

    await proxy.start();
    await untilOnline(store);
    const server = await onServer(dir, schema);
    expect(server.ids).toEqual(
      ['before', 'during', 'after']
        .flatMap((prefix) => ids(prefix, prefix === 'before' ? 20 : prefix === 'during' ? 200 : 25))
        .sort(),
    );
    expect(server.samples).toBe(245);
    expect((await store.listStats()).reduce((sum, row) => sum + row.samples, 0)).toBe(245);
  });

  it('survives pg_terminate_backend on its connections mid-write: every outcome counted once', async () => {
    const { dir, schema } = await workspace();
    const applicationName = `model-perf-test-${schema}`;
    const url = urlWith({ applicationName });
    const store = await open({ dir, backend: 'postgres', url, postgresSchema: schema, logger: silentLogger });
    // Four writers, each recording one outcome after another: connections are mid-statement when they end.
    const recorded: string[] = [];
    const writers = [0, 1, 2, 3].map(async (writer) => {
      for (let n = 0; n < 400; n += 1) {
        const id = `w${writer}-${n}`;
        await store.record(outcomeAt(n % 48, { id, modelId: `m-${writer}` }));
        recorded.push(id);
      }
    });
    // Each record on the server waits for a reply, so timers run meanwhile; the kill comes a quarter in.
    while (recorded.length < 400) await new Promise((resolve) => setTimeout(resolve, 5));
    const killed = await adminQuery(
      'SELECT count(pg_terminate_backend(pid)) AS killed FROM pg_stat_activity WHERE application_name = $1',
      [applicationName],
    );
    expect(Number(killed.rows[0]?.killed)).toBeGreaterThan(0);
    await Promise.all(writers);
    expect(recorded).toHaveLength(1600);
    await untilOnline(store);
    expect(await onServer(dir, schema)).toMatchObject({ ids: [...recorded].sort(), samples: recorded.length });
  });

  it('lets processes record offline at once, and the next session pushes all of them once', async () => {
    const { dir, schema } = await workspace();
    await writeFile(join(dir, 'model-perf.config.json'), JSON.stringify({ postgresSchema: schema }));
    const unreachable = { ...process.env, MODEL_PERF_PG_URL: urlWith({ port: 1 }) };
    const worker = join(FIXTURES, 'record-worker.mjs');
    const results = await Promise.all(
      [0, 1, 2].map((index) =>
        runChild([worker, dir, 'postgres', String(index), '300', 'fallback'], { env: unreachable }),
      ),
    );
    for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0, signal: null });

    const store = await open({ dir, backend: 'postgres', url: TEST_PG_URL, logger: silentLogger });
    expect(store.info.degraded).toBe(false);
    const server = await onServer(dir, schema);
    expect(server.samples).toBe(900);
    expect(new Set(server.ids).size).toBe(900);
    await store.close();
    await open({ dir, backend: 'postgres', url: TEST_PG_URL, logger: silentLogger });
    expect((await onServer(dir, schema)).samples).toBe(900);
  });

  it('keeps recording at full speed while an attempt at a server that never answers times out', async () => {
    const { dir, schema } = await workspace();
    // Accepts connections and says nothing, as a host behind a dropped route or a hung server does.
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });
    const address = silent.address() as net.AddressInfo;
    const url = urlWith({ port: address.port });
    const store = await open({ dir, backend: 'postgres', url, postgresSchema: schema, logger: silentLogger });
    expect(store.info).toMatchObject({ backend: 'json', degraded: true });
    expect(store.info.reason).toContain('timeout');
    // Past the first backoff, the next call starts an attempt, which takes the connect timeout to fail.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await store.record(outcomeAt(0, { id: 'starts-the-attempt' }));
    while (sockets.size < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    const started = Date.now();
    for (const id of ids('meanwhile', 50)) await store.record(outcomeAt(0, { id }));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(store.info.degraded).toBe(true);
    expect(await store.getStats('execute-task', 'gpt-4o')).toMatchObject({ samples: 51 });
  });

  it('never shows a password: not in info, the log, or errors', async () => {
    const { dir, schema } = await workspace();
    const url = urlWith({ port: 1, password: 's3cret-pw' });
    const logger = captureLogger();
    const store = await open({ dir, backend: 'postgres', url, postgresSchema: schema, logger });
    const failure = await openStore({ dir, backend: 'postgres', url, postgresSchema: schema, fallback: false }).catch(
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: 'MP_BACKEND_UNAVAILABLE' });
    const shown = JSON.stringify([store.info, logger.lines, (failure as Error).message]);
    expect(shown).toContain('postgres:***@127.0.0.1:1');
    expect(shown).not.toContain('s3cret-pw');
  });
});
