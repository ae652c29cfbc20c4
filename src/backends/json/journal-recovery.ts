import { closeSync, fstatSync, ftruncateSync, readSync, renameSync } from 'node:fs';
import path from 'node:path';
import { openStoreFileSync, RefusedEntryError, UPDATE_FLAGS } from '../../core/store-files.js';
import { journalFileName, parseJournalFileName } from './file-names.js';
import { ioError, isMissing, listDir, withIo } from './io.js';
import { isOwnerAlive } from './owner.js';

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
