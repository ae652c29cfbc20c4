import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { afterEach } from 'vitest';
import { loadSqlite } from '../../src/backends/sqlite/connection.js';
import { openSqliteStore, type SqliteStore } from '../../src/backends/sqlite/index.js';
import { DB_FILE_NAME } from '../../src/backends/sqlite/options.js';
import type { Row } from '../../src/backends/sqlite/rows.js';
import { silentLogger } from '../../src/core/logger.js';

const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Runs cleanup after the current test, last registered first. */
export function afterTest(cleanup: () => Promise<void> | void): void {
  cleanups.push(cleanup);
}

/** A fresh directory under the OS temp dir, removed after the test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'model-perf-sqlite-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export function dbFile(dir: string): string {
  return join(dir, DB_FILE_NAME);
}

/** A store in a fresh temp dir, closed after the test. */
export async function openTempStore(options: { busyTimeoutMs?: number } = {}): Promise<SqliteStore> {
  const store = await openSqliteStore({ dir: await tempDir(), logger: silentLogger, ...options });
  cleanups.push(() => store.close());
  return store;
}

/** A second connection to a store's file, to look at what the store wrote (closed after the test). */
export function rawConnection(dir: string): DatabaseSync {
  const db = new (loadSqlite().DatabaseSync)(dbFile(dir), { timeout: 1000 });
  afterTest(() => {
    if (db.isOpen) db.close();
  });
  return db;
}

export function queryRows(db: DatabaseSync, sql: string, ...params: Array<string | number>): Row[] {
  return db.prepare(sql).all(...params);
}
