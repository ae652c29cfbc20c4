import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSqlite } from '../../src/backends/sqlite/connection.js';
import { openSqliteStore } from '../../src/backends/sqlite/index.js';
import { silentLogger } from '../../src/core/logger.js';
import { FIXTURES } from '../support/children.js';
import { LineChild } from '../support/line-child.js';

const DB = 'model-performance.db';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("SQLite onCorrupt: 'quarantine'", () => {
  it('never moves a damaged database another process has open, and moves it once none has', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'model-perf-quarantine-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    // A runtime with the store open, as a live process would have it.
    const runtime = new LineChild([join(FIXTURES, 'lock-worker.mjs'), dir, 'sqlite', '1000']);
    cleanups.push(() => runtime.exit());
    expect(await runtime.next(), runtime.stderr).toMatchObject({ event: 'open' });
    expect(await runtime.send('record before-damage')).toMatchObject({ ok: true });

    // Everything is copied into the database file first, so that no newer page in the WAL hides the
    // damage; then the header is wiped under the runtime (this process holds no connection to the file
    // by then, so writing it with fs is safe).
    const file = join(dir, DB);
    const checkpoint = new (loadSqlite().DatabaseSync)(file);
    checkpoint.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    checkpoint.close();
    const damaged = readFileSync(file);
    damaged.fill(0x5a, 0, 16);
    writeFileSync(file, damaged);

    const inUse = await openSqliteStore({ dir, logger: silentLogger, onCorrupt: 'quarantine' }).catch(
      (error: unknown) => error,
    );
    expect(inUse).toMatchObject({ name: 'ModelPerfError', code: 'MP_CORRUPT_DATA' });
    expect((inUse as Error).message).toContain(`process(es) ${runtime.pid}`);
    expect((inUse as Error).message).toContain('was not moved');
    expect(readFileSync(file).equals(damaged)).toBe(true);
    expect(existsSync(join(dir, 'backups'))).toBe(false);

    expect(await runtime.send('close')).toMatchObject({ event: 'closed' });
    await runtime.exit();
    const moved = await openSqliteStore({ dir, logger: silentLogger, onCorrupt: 'quarantine' }).catch(
      (error: unknown) => error,
    );
    expect(moved).toMatchObject({ code: 'MP_CORRUPT_DATA' });
    expect((moved as Error).message).toMatch(/moved with its WAL to .*backups.*a new empty database starts/);
    const [backup] = await readdir(join(dir, 'backups'));
    expect(backup).toMatch(/^model-performance\.db\.corrupt-\d{8}T\d{9}Z-[0-9a-f]{8}$/);
    expect(readFileSync(join(dir, 'backups', backup ?? '', DB)).equals(damaged)).toBe(true);

    // Reported once: the next open works, on a new database.
    const store = await openSqliteStore({ dir, logger: silentLogger, onCorrupt: 'quarantine' });
    cleanups.push(() => store.close());
    expect(await store.verify()).toMatchObject({ ok: true, outcomes: 0 });
  }, 30_000);

  it('checks its option', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'model-perf-quarantine-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await expect(openSqliteStore({ dir, onCorrupt: 'delete' as never })).rejects.toMatchObject({
      code: 'MP_CONFIG',
      field: 'onCorrupt',
    });
  });
});
