import {
  closeSync,
  fdatasyncSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { syncDirectorySync } from '../../core/durable-files.js';
import type { Durability } from '../../core/options.js';
import { isMissing, openStoreFileSync, RefusedEntryError, UPDATE_FLAGS } from '../../core/store-files.js';
import { bestEffort, ioError, listDir, withIo } from './io.js';
import { isOwnerAlive, journalFileName, newJournalId, parseJournalFileName } from './layout.js';

/** Where an appended line landed. */
export interface JournalAppend {
  journalId: string;
  offset: number;
  bytes: number;
}

interface OpenJournal {
  id: string;
  path: string;
  fd: number;
  size: number;
}

/**
 * Appends this store instance's writes to its own journal, one line per write (one write() call in
 * practice). Nobody else appends to the file, so lines never interleave and no lock is needed. The
 * journal is created on the first write, and sealed (renamed to *.jsonl, never appended to again)
 * when it grows past rotateBytes and on close.
 */
export class JournalWriter {
  readonly #dir: string;
  readonly #durability: Durability;
  readonly #rotateBytes: number;
  readonly #onSealed: () => void;
  #current: OpenJournal | undefined;

  constructor(dir: string, durability: Durability, rotateBytes: number, onSealed: () => void) {
    this.#dir = dir;
    this.#durability = durability;
    this.#rotateBytes = rotateBytes;
    this.#onSealed = onSealed;
  }

  /**
   * Appends one line. On failure the file is cut back to its previous length and never appended to
   * again, so that a torn line can only ever be a file's last bytes, which readers ignore.
   */
  append(line: string): JournalAppend {
    const bytes = Buffer.from(line, 'utf8');
    // Twice at most: a second time only when another process took the journal while this one wrote.
    for (let attempt = 1; ; attempt += 1) {
      const journal = this.#writable();
      const offset = journal.size;
      this.#write(journal, bytes);
      if (this.#stillOurs(journal)) return { journalId: journal.id, offset, bytes: bytes.length };
      // Another process sealed or quarantined this journal, believing its writer gone: it may have read
      // the file before this line arrived. Writing the line again elsewhere is safe, since readers count
      // each id once; losing it is not.
      this.#current = undefined;
      bestEffort(() => closeSync(journal.fd));
      if (attempt === 2) {
        throw ioError('append to', journal.path, new Error('two journals in a row were taken over; it may be stored'));
      }
    }
  }

  /** Closes and seals the journal, if this instance wrote one. */
  seal(): void {
    const journal = this.#current;
    if (journal === undefined) return;
    this.#current = undefined;
    withIo('close', journal.path, () => closeSync(journal.fd));
    const sealed = path.join(this.#dir, journalFileName(journal.id, true));
    try {
      renameSync(journal.path, sealed);
    } catch (error) {
      // ENOENT: another process sealed it already, taking this process for dead.
      if (!isMissing(error)) throw ioError('seal', journal.path, error);
    }
    this.#onSealed();
  }

  #writable(): OpenJournal {
    if (this.#current !== undefined && this.#current.size >= this.#rotateBytes) this.seal();
    this.#current ??= this.#create();
    return this.#current;
  }

  #create(): OpenJournal {
    const id = newJournalId();
    const file = path.join(this.#dir, journalFileName(id, false));
    const fd = withIo('create', file, () => {
      mkdirSync(this.#dir, { recursive: true });
      // 'ax': append-only, and fail rather than share a file should the name ever exist.
      const opened = openSync(file, 'ax');
      if (this.#durability === 'full') syncDirectorySync(this.#dir);
      return opened;
    });
    return { id, path: file, fd, size: 0 };
  }

  #write(journal: OpenJournal, bytes: Buffer): void {
    try {
      // One call in practice; a short write (a nearly full disk) is continued, so that the error that
      // stops it (ENOSPC) is the one reported. Readers see the line only once its newline lands.
      let written = 0;
      while (written < bytes.length) {
        const count = writeSync(journal.fd, bytes, written, bytes.length - written);
        if (count === 0) throw new Error(`no progress after ${written} of ${bytes.length} bytes`);
        written += count;
      }
      if (this.#durability === 'full') fdatasyncSync(journal.fd);
      journal.size += written;
    } catch (error) {
      this.#retire(journal);
      throw ioError('append to', journal.path, error);
    }
  }

  /** After a failed write: cut off what part of the line landed, then never touch the file again. */
  #retire(journal: OpenJournal): void {
    this.#current = undefined;
    bestEffort(() => ftruncateSync(journal.fd, journal.size));
    bestEffort(() => closeSync(journal.fd));
    if (journal.size === 0) {
      bestEffort(() => unlinkSync(journal.path));
      return;
    }
    // Sealed, it is merged by compaction like any other journal; if even the rename fails, it waits
    // until this process exits and is then treated as an abandoned journal (its torn tail cut off).
    bestEffort(() => renameSync(journal.path, path.join(this.#dir, journalFileName(journal.id, true))));
  }

  #stillOurs(journal: OpenJournal): boolean {
    try {
      return statSync(journal.path, { throwIfNoEntry: false }) !== undefined;
    } catch {
      // Cannot tell (permissions changed under us): the line was written; keep it there.
      return true;
    }
  }
}

const TAIL_CHUNK_BYTES = 64 * 1024;

/**
 * Run at open: seals the journals whose writer is gone (a crash, a kill) and cuts off their torn last
 * line, the part of a write that the crash cut short (its record() never resolved). Sealing first
 * matters: should the writer be alive after all, it notices and writes its line again elsewhere.
 * Returns one message per journal repaired.
 */
export function recoverAbandonedJournals(dir: string): string[] {
  const repaired: string[] = [];
  for (const file of listDir(dir)) {
    const name = parseJournalFileName(file);
    if (name === undefined || (!name.sealed && isOwnerAlive(name.host, name.pid))) continue;
    const sealed = path.join(dir, journalFileName(name.id, true));
    if (!name.sealed) {
      try {
        renameSync(path.join(dir, file), sealed);
      } catch (error) {
        if (isMissing(error)) continue;
        throw ioError('seal', path.join(dir, file), error);
      }
    }
    let dropped: number;
    try {
      dropped = withIo('repair', sealed, () => trimTornTail(sealed));
    } catch (error) {
      // A symlink or a FIFO is never written through: readers refuse it too, and quarantine it.
      if (error instanceof RefusedEntryError) continue;
      throw error;
    }
    if (dropped > 0) {
      repaired.push(
        `Cut ${dropped} bytes of an unfinished last line (a write its crashed writer never completed) from ${sealed}.`,
      );
    }
  }
  return repaired;
}

/** Truncates a file after its last newline; returns how many bytes were cut. */
function trimTornTail(file: string): number {
  const fd = openStoreFileSync(file, UPDATE_FLAGS);
  if (fd === undefined) return 0;
  try {
    const size = fstatSync(fd).size;
    const buffer = Buffer.allocUnsafe(Math.min(TAIL_CHUNK_BYTES, Math.max(size, 1)));
    let end = 0;
    for (let position = size; position > 0; ) {
      const length = Math.min(buffer.length, position);
      position -= length;
      readSync(fd, buffer, 0, length, position);
      const newline = buffer.subarray(0, length).lastIndexOf(0x0a);
      if (newline !== -1) {
        end = position + newline + 1;
        break;
      }
    }
    if (end < size) ftruncateSync(fd, end);
    return size - end;
  } finally {
    closeSync(fd);
  }
}
