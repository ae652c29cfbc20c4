import { closeSync, linkSync, openSync, renameSync, statSync, unlinkSync, utimesSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomHex, writeAll } from '../../core/durable-files.js';
import { ModelPerfError } from '../../core/errors.js';
import { errorCode, isMissing, readStoreFileSync } from '../../core/store-files.js';
import { bestEffort, ioError, withIo } from './io.js';
import { isOwnerAlive, LOCAL_HOST } from './layout.js';

interface LockHolder {
  pid: number;
  host: string;
  token: string;
  acquiredAt: string;
}

/** Polls come about this far apart, jittered so that the waiters of several processes spread out. */
const POLL_MS = 10;

/**
 * The store lock (json.lock): a file created with O_EXCL that names its holder, taken by a compaction,
 * an import or a repair (each a change to the checkpoint or the imports file: rare, short). Outcome
 * writers never take it.
 * A holder that died on this host, or a lock file untouched for `staleMs` (the holder touches it as it
 * works), is stale and is broken. Breaking is a rename to a unique name, so two processes cannot both
 * break the same lock; and a holder checks that the lock is still its own just before each step that
 * others depend on (replacing the checkpoint), so a wrongly broken lock costs a retry, not data.
 */
export class StoreLock {
  readonly #file: string;
  readonly #token: string;

  private constructor(file: string, token: string) {
    this.#file = file;
    this.#token = token;
  }

  /** Takes the lock when it is free or stale; undefined when another process holds it. */
  static tryAcquire(file: string, staleMs: number): StoreLock | undefined {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const token = randomHex(8);
      if (create(file, token)) return new StoreLock(file, token);
      if (!breakIfStale(file, staleMs)) return undefined;
    }
    return undefined;
  }

  /** Waits up to timeoutMs for the lock, on timers (the event loop runs meanwhile), then fails with MP_LOCKED. */
  static async acquire(file: string, staleMs: number, timeoutMs: number): Promise<StoreLock> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lock = StoreLock.tryAcquire(file, staleMs);
      if (lock !== undefined) return lock;
      if (Date.now() >= deadline) {
        throw new ModelPerfError(
          'MP_LOCKED',
          `${file} stayed held by another process (${describeHolder(file)}) for longer than the busy timeout ` +
            `(${timeoutMs} ms). Retry later, or raise busyTimeoutMs.`,
          { file },
        );
      }
      await sleep(Math.min(Math.max(deadline - Date.now(), 1), POLL_MS / 2 + Math.random() * POLL_MS));
    }
  }

  /** Shows other processes that the holder is still working. */
  touch(): void {
    bestEffort(() => {
      const now = new Date();
      utimesSync(this.#file, now, now);
    });
  }

  isHeld(): boolean {
    return readHolder(this.#file)?.token === this.#token;
  }

  release(): void {
    if (this.isHeld()) bestEffort(() => unlinkSync(this.#file));
  }
}

function create(file: string, token: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw ioError('create', file, error);
  }
  const holder: LockHolder = { pid: process.pid, host: LOCAL_HOST, token, acquiredAt: new Date().toISOString() };
  try {
    writeAll(fd, Buffer.from(JSON.stringify(holder)));
  } catch (error) {
    closeSync(fd);
    bestEffort(() => unlinkSync(file));
    throw ioError('write', file, error);
  }
  closeSync(fd);
  return true;
}

function readText(file: string): string | undefined {
  try {
    return readStoreFileSync(file, 'lock')?.toString('utf8');
  } catch {
    return undefined;
  }
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const value: unknown = JSON.parse(readText(file) ?? '');
    if (typeof value !== 'object' || value === null) return undefined;
    const { pid, host, token, acquiredAt } = value as Record<string, unknown>;
    if (typeof pid !== 'number' || typeof host !== 'string' || typeof token !== 'string') return undefined;
    return { pid, host, token, acquiredAt: typeof acquiredAt === 'string' ? acquiredAt : '' };
  } catch {
    // Missing, or created an instant ago and not written yet, or damaged: its age decides.
    return undefined;
  }
}

function describeHolder(file: string): string {
  const holder = readHolder(file);
  return holder === undefined ? 'holder unknown' : `pid ${holder.pid} on ${holder.host} since ${holder.acquiredAt}`;
}

/** Returns true when the lock was stale and is gone now (or was released meanwhile). */
function breakIfStale(file: string, staleMs: number): boolean {
  const stats = withIo('read', file, () => statSync(file, { throwIfNoEntry: false }));
  if (stats === undefined) return true;
  const judged = readText(file);
  const holder = readHolder(file);
  const dead = holder !== undefined && !isOwnerAlive(holder.host, holder.pid);
  if (!dead && Date.now() - stats.mtimeMs < staleMs) return false;
  const aside = `${file}.${randomHex()}.stale`;
  try {
    renameSync(file, aside);
  } catch (error) {
    if (isMissing(error)) return true;
    throw ioError('break the stale lock', file, error);
  }
  if (readText(aside) !== judged) {
    // Another process broke the stale lock first and took a fresh one, which this rename moved: put it
    // back unless a third took the lock meanwhile (link fails then; that holder's isHeld() check fails).
    bestEffort(() => linkSync(aside, file));
  }
  bestEffort(() => unlinkSync(aside));
  return true;
}
