import { ModelPerfError } from '../../core/errors.js';
import { fileStamp } from './checkpoint.js';
import { quarantine } from './corruption.js';
import { newerFormatError } from './document-file.js';
import { EMPTY_IMPORTS, type ImportsDocument } from './imports-document.js';
import { IMPORTS_VERSION, readImportsFile, writeImportsFile } from './imports-format.js';
import type { StoreLayout } from './layout.js';
import { CompactionLock } from './lock.js';

export interface ImportsChange<T> {
  result: T;
  /** The document to write; absent when nothing changes. */
  next?: ImportsDocument;
}

/**
 * The imports file of one store instance. Reads take no lock: the file is only ever replaced by a
 * rename, so a reader sees one whole version, and a stat tells whether it is still the version this
 * instance loaded. Changes are read-modify-write under the store lock (json.lock), reading the file
 * again once the lock is held, so two processes never lose each other's change, and a check such as
 * "this source is recorded already" holds until the new file is in place.
 */
export class ImportsFile {
  readonly #layout: StoreLayout;
  readonly #lockStaleMs: number;
  readonly #busyTimeoutMs: number;
  #document: ImportsDocument = EMPTY_IMPORTS;
  /** The stamp of the file #document was read from; null before the first read (undefined: no file). */
  #stamp: string | undefined | null = null;

  constructor(layout: StoreLayout, lockStaleMs: number, busyTimeoutMs: number) {
    this.#layout = layout;
    this.#lockStaleMs = lockStaleMs;
    this.#busyTimeoutMs = busyTimeoutMs;
  }

  /** The current document: read again only when the file changed since the last read. */
  async current(): Promise<ImportsDocument> {
    const stamp = fileStamp(this.#layout.imports);
    if (stamp !== this.#stamp) {
      // Stamp first, then read: a replacement in between leaves a newer document under an older
      // stamp, which only costs one more read next time.
      this.#document = await this.#read(false);
      this.#stamp = stamp;
    }
    return this.#document;
  }

  /** Applies a change to the latest document under the store lock; returns the change's result. */
  async update<T>(change: (document: ImportsDocument) => ImportsChange<T>): Promise<T> {
    const file = this.#layout.imports;
    const lock = await CompactionLock.acquire(this.#layout.lock, this.#lockStaleMs, this.#busyTimeoutMs);
    try {
      const { result, next } = change(await this.#read(true));
      if (next === undefined) return result;
      if (!lock.isHeld()) {
        throw new ModelPerfError(
          'MP_LOCKED',
          `The lock ${this.#layout.lock} was taken from this process as stale while it changed ${file}; ` +
            'nothing was written. Retry.',
          { file },
        );
      }
      await writeImportsFile(file, next);
      this.#document = next;
      // Nobody else replaces the file while the lock is held, so this stamp is the one just written.
      this.#stamp = fileStamp(file);
      return result;
    } finally {
      lock.release();
    }
  }

  /**
   * Reads the file. A damaged one is moved to backups/ (never overwritten: invariant 4) under the lock,
   * after reading it again there, so that a reader cannot move aside a good file that a writer has just
   * put in place; the call then fails with MP_CORRUPT_DATA and the next one starts without it.
   */
  async #read(locked: boolean): Promise<ImportsDocument> {
    const file = this.#layout.imports;
    const read = readImportsFile(file);
    switch (read.kind) {
      case 'missing':
        return EMPTY_IMPORTS;
      case 'found':
        return read.document;
      case 'newer':
        throw newerFormatError(file, read.version, IMPORTS_VERSION);
      case 'corrupt':
        return locked ? this.#moveAside(read.problem) : this.#readLocked();
    }
  }

  async #readLocked(): Promise<ImportsDocument> {
    const lock = await CompactionLock.acquire(this.#layout.lock, this.#lockStaleMs, this.#busyTimeoutMs);
    try {
      return this.#read(true);
    } finally {
      lock.release();
    }
  }

  #moveAside(problem: string): never {
    const file = this.#layout.imports;
    const backup = quarantine(this.#layout.backups, file);
    this.#stamp = null;
    throw new ModelPerfError(
      'MP_CORRUPT_DATA',
      `The JSON store file ${file} is damaged (${problem}); ${backup === undefined ? 'it is gone' : `it was moved to ${backup}`}, ` +
        'and the imports, baselines and federated priors it held no longer count. The store works on; ' +
        'restore the file from the backup if you can.',
      { file },
    );
  }
}
