/**
 * The other processes of the stall cases (bench/cases/stall-*.ts), forked from the compiled copy:
 *
 *   stall-helper.js writer <sqlite|json> <dir> <seed>   records one outcome after another until killed
 *   stall-helper.js hold-sqlite <dir>                   holds the SQLite write lock 400 ms at a time
 *   stall-helper.js hold-json <dir>                     holds the JSON store lock (json.lock) 400 ms at a time
 *
 * Each says 'ready' once it has started its work, and exits when the case process goes away.
 */
import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { openStore, silentLogger } from '../../src/index.js';
import { liveInputs } from './dataset.js';
import { sendToParent } from './ipc.js';
import { sqliteFile } from './stores.js';

export const HOLD_MS = 400;
/** The lock is free this long between two holds: a waiter that polls gets its turn. */
const FREE_MS = 40;

const ready = (): Promise<void> => sendToParent('ready', 'stall-helper.ts runs under a stall case, which forks it');

async function writer(backend: 'sqlite' | 'json', dir: string, seed: number): Promise<void> {
  const store = await openStore({ dir, backend, fallback: false, logger: silentLogger });
  await ready();
  for (let round = 0; ; round += 1) {
    for (const input of liveInputs(1000, seed + round)) await store.record(input);
  }
}

async function holdSqlite(dir: string): Promise<void> {
  const db = new DatabaseSync(sqliteFile(dir), { timeout: 5_000 });
  let first = true;
  for (;;) {
    db.exec('BEGIN IMMEDIATE');
    if (first) await ready();
    first = false;
    await sleep(HOLD_MS);
    db.exec('COMMIT');
    await sleep(FREE_MS);
  }
}

/** Writes a lock file naming this live process, as a compaction in another process would hold it. */
async function holdJson(dir: string): Promise<void> {
  const file = join(dir, 'json.lock');
  const holder = { pid: process.pid, host: hostname().replace(/[^A-Za-z0-9.-]/g, '_'), token: 'bench-holder' };
  let first = true;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify({ ...holder, acquiredAt: new Date().toISOString() }));
      closeSync(fd);
      if (first) await ready();
      first = false;
      await sleep(HOLD_MS);
      unlinkSync(file);
    } catch {
      // Taken by the store (a compaction or an imports change): try again after the pause.
    }
    await sleep(FREE_MS);
  }
}

process.on('disconnect', () => process.exit(0));
const [mode, first, second, third] = process.argv.slice(2);
if (mode === 'writer' && (first === 'sqlite' || first === 'json') && second !== undefined) {
  await writer(first, second, Number(third ?? 0));
} else if (mode === 'hold-sqlite' && first !== undefined) {
  await holdSqlite(first);
} else if (mode === 'hold-json' && first !== undefined) {
  await holdJson(first);
} else {
  throw new Error(`usage: stall-helper.ts writer <backend> <dir> <seed> | hold-sqlite <dir> | hold-json <dir>`);
}
