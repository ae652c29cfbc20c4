import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { connectionWarnings } from '../../src/backends/sqlite/connection.js';
import { openSqliteStore } from '../../src/backends/sqlite/index.js';
import { SCHEMA_VERSION } from '../../src/backends/sqlite/schema.js';
import { isModelPerfError, type ModelPerfError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { dbFile, queryRows, rawConnection, tempDir } from './sqlite-fixture.js';

async function openError(dir: string): Promise<ModelPerfError> {
  const error: unknown = await openSqliteStore({ dir, logger: silentLogger }).then(
    async (store) => {
      await store.close();
      throw new Error('the store opened');
    },
    (rejection: unknown) => rejection,
  );
  if (!isModelPerfError(error)) throw error;
  return error;
}

describe('openSqliteStore', () => {
  it('creates a missing directory, recursively, and describes itself', async () => {
    const dir = join(await tempDir(), 'a', 'b');
    const store = await openSqliteStore({ dir, logger: silentLogger });
    await store.close();
    const file = dbFile(dir);
    expect(store.info).toMatchObject({
      backend: 'sqlite',
      degraded: false,
      reason: 'SQLite: opened directly',
      dir,
      files: [file, `${file}-wal`, `${file}-shm`, join(dir, 'model-perf.snapshot.json')],
      schemaVersion: SCHEMA_VERSION,
      nodeVersion: process.versions.node,
    });
    expect(store.info.sqliteVersion).toMatch(/^3\.\d+\.\d+$/);
    expect(await readdir(dir)).toContain('model-performance.db');
  });

  it('reports the selection it was given', async () => {
    const selection = { reason: 'chosen by openStore', degraded: true, warnings: ['from the selector'] };
    const store = await openSqliteStore({ dir: await tempDir(), logger: silentLogger, selection });
    await store.close();
    expect(store.info).toMatchObject({ reason: 'chosen by openStore', degraded: true });
    expect(store.info.warnings[0]).toBe('from the selector');
  });

  it('keeps what was recorded across a reopen', async () => {
    const dir = await tempDir();
    const first = await openSqliteStore({ dir, logger: silentLogger });
    await first.record({ taskType: 't', modelId: 'm', success: true, id: 'kept' });
    await first.close();
    const second = await openSqliteStore({ dir, logger: silentLogger });
    expect(await second.getStats('t', 'm')).toMatchObject({ successes: 1, samples: 1 });
    await second.close();
  });

  it('refuses a file that is not a database, and leaves it byte for byte', async () => {
    const dir = await tempDir();
    const garbage = Buffer.from('this is not a SQLite database, only some bytes that look like text\n'.repeat(40));
    await writeFile(dbFile(dir), garbage);
    const error = await openError(dir);
    expect(error.code).toBe('MP_CORRUPT_DATA');
    expect(error.file).toBe(dbFile(dir));
    expect(error.message).toContain(dbFile(dir));
    expect(error.cause).toBeInstanceOf(Error);
    expect(await readFile(dbFile(dir))).toEqual(garbage);
    expect(await readdir(dir)).toEqual(['model-performance.db']);
  });

  it('refuses a directory in place of the database file with MP_IO', async () => {
    const dir = await tempDir();
    await mkdir(dbFile(dir));
    const error = await openError(dir);
    expect(error.code).toBe('MP_IO');
    expect(error.file).toBe(dbFile(dir));
    expect(await readdir(dbFile(dir))).toEqual([]);
  });

  it('refuses a store dir that is a file with MP_IO', async () => {
    const file = join(await tempDir(), 'not-a-dir');
    await writeFile(file, 'x');
    expect((await openError(file)).code).toBe('MP_IO');
  });

  it('refuses a database written by a newer schema, changing nothing', async () => {
    const dir = await tempDir();
    const db = rawConnection(dir);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const before = await readFile(dbFile(dir));
    const error = await openError(dir);
    expect(error.code).toBe('MP_BACKEND_UNAVAILABLE');
    expect(error.message).toMatch(new RegExp(`schema version ${SCHEMA_VERSION + 1}.*newer`));
    expect(await readFile(dbFile(dir))).toEqual(before);
  });

  it('says which Node lacks node:sqlite when it cannot be loaded', async () => {
    const spy = vi.spyOn(process, 'getBuiltinModule').mockReturnValue(undefined);
    try {
      const dir = join(await tempDir(), 'never-created');
      const error = await openError(dir);
      expect(error.code).toBe('MP_BACKEND_UNAVAILABLE');
      expect(error.message).toContain(`Node ${process.versions.node}`);
      expect(error.message).toContain('22.13');
      await expect(readdir(dir)).rejects.toThrow(/ENOENT/);
    } finally {
      spy.mockRestore();
    }
  });

  it.each([
    [{ dir: '' }, 'dir'],
    [{ dir: '/tmp/x', durability: 'sometimes' }, 'durability'],
    [{ dir: '/tmp/x', busyTimeoutMs: -1 }, 'busyTimeoutMs'],
    [{ dir: '/tmp/x', busyTimeoutMs: 1.5 }, 'busyTimeoutMs'],
  ])('rejects bad options %j with MP_CONFIG', async (options, field) => {
    // @ts-expect-error: the options are wrong on purpose
    await expect(openSqliteStore(options)).rejects.toMatchObject({ code: 'MP_CONFIG', field });
  });

  it('rejects operations after close with MP_CLOSED, and close stays idempotent', async () => {
    const store = await openSqliteStore({ dir: await tempDir(), logger: silentLogger });
    await store.close();
    await store.close();
    await expect(store.record({ taskType: 't', modelId: 'm', success: true })).rejects.toMatchObject({
      code: 'MP_CLOSED',
    });
  });
});

describe('connectionWarnings', () => {
  it('warns about a SQLite older than the WAL-reset fix', () => {
    expect(connectionWarnings({ sqliteVersion: '3.51.2', journalMode: 'wal' }, 'f.db')).toEqual([
      expect.stringContaining('SQLite 3.51.2 is older than 3.51.3'),
    ]);
    expect(connectionWarnings({ sqliteVersion: '3.51.3', journalMode: 'wal' }, 'f.db')).toEqual([]);
    expect(connectionWarnings({ sqliteVersion: '3.53.4', journalMode: 'wal' }, 'f.db')).toEqual([]);
  });

  it('warns when the file could not be put in WAL mode', () => {
    expect(connectionWarnings({ sqliteVersion: '3.53.4', journalMode: 'delete' }, 'f.db')).toEqual([
      expect.stringContaining('in delete mode'),
    ]);
  });

  it('is what info.warnings holds on this machine', async () => {
    const dir = await tempDir();
    const store = await openSqliteStore({ dir, logger: silentLogger });
    await store.close();
    const [row] = queryRows(rawConnection(dir), 'SELECT sqlite_version() AS v');
    expect(store.info.warnings).toEqual(
      connectionWarnings({ sqliteVersion: String(row?.v), journalMode: 'wal' }, dbFile(dir)),
    );
  });
});
