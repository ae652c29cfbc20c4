import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCAL_HOST } from '../../src/backends/json/layout.js';
import { StoreLock } from '../../src/backends/json/lock.js';
import { deadPid, filesIn, openJson, outcomesNo, segmentDir, segmentFiles, TINY, tempDir } from './json-fixture.js';

const MINUTE = 60_000;

function holder(pid: number, host = LOCAL_HOST): string {
  return JSON.stringify({ pid, host, token: 'someone-else', acquiredAt: new Date().toISOString() });
}

describe('StoreLock', () => {
  it('is exclusive, and free again once released', async () => {
    const file = join(await tempDir(), 'json.lock');
    const lock = StoreLock.tryAcquire(file, MINUTE);
    expect(lock?.isHeld()).toBe(true);
    expect(StoreLock.tryAcquire(file, MINUTE)).toBeUndefined();
    lock?.release();
    expect(existsSync(file)).toBe(false);
    StoreLock.tryAcquire(file, MINUTE)?.release();
  });

  it('breaks the lock of a process that died on this host', async () => {
    const file = join(await tempDir(), 'json.lock');
    writeFileSync(file, holder(deadPid()));
    const lock = StoreLock.tryAcquire(file, MINUTE);
    expect(lock?.isHeld()).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid, host: LOCAL_HOST });
  });

  it('respects a live holder, and a holder on another host until its lock goes untouched too long', async () => {
    const file = join(await tempDir(), 'json.lock');
    writeFileSync(file, holder(process.pid));
    expect(StoreLock.tryAcquire(file, MINUTE)).toBeUndefined();
    writeFileSync(file, holder(deadPid(), 'another-host'));
    expect(StoreLock.tryAcquire(file, MINUTE)).toBeUndefined();
    const old = new Date(Date.now() - 2 * MINUTE);
    utimesSync(file, old, old);
    expect(StoreLock.tryAcquire(file, MINUTE)?.isHeld()).toBe(true);
  });

  it('treats an unreadable lock file by its age alone', async () => {
    const file = join(await tempDir(), 'json.lock');
    writeFileSync(file, '');
    expect(StoreLock.tryAcquire(file, MINUTE)).toBeUndefined();
    const old = new Date(Date.now() - 2 * MINUTE);
    utimesSync(file, old, old);
    expect(StoreLock.tryAcquire(file, MINUTE)).toBeDefined();
  });

  it('fails with MP_LOCKED after waiting the busy timeout, without blocking the event loop', async () => {
    const file = join(await tempDir(), 'json.lock');
    writeFileSync(file, holder(process.pid));
    const started = Date.now();
    let ticks = 0;
    const ticker = setInterval(() => {
      ticks += 1;
    }, 5);
    await expect(StoreLock.acquire(file, MINUTE, 100)).rejects.toMatchObject({ code: 'MP_LOCKED' });
    clearInterval(ticker);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    // It waited on timers, not by blocking: the event loop ran meanwhile.
    expect(ticks).toBeGreaterThan(3);
  });

  it('lets a store compact past the stale lock of a dead process', async () => {
    const dir = await tempDir();
    writeFileSync(join(dir, 'json.lock'), holder(deadPid()));
    const store = await openJson(dir, TINY);
    await store.recordMany(outcomesNo(0, 40));
    await store.close();
    expect(segmentFiles(dir)).toHaveLength(1);
    expect(existsSync(join(dir, 'json.lock'))).toBe(false);
  });

  it('leaves compaction to a live holder, and counts exactly meanwhile', async () => {
    const dir = await tempDir();
    writeFileSync(join(dir, 'json.lock'), holder(process.pid));
    const store = await openJson(dir, TINY);
    await store.recordMany(outcomesNo(0, 40));
    await store.close();
    expect(filesIn(segmentDir(dir))).toEqual([]);
    const reopened = await openJson(dir, TINY);
    expect((await reopened.listStats()).reduce((sum, row) => sum + row.samples, 0)).toBe(40);
  });
});
