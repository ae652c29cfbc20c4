import { closeSync, fstatSync, ftruncateSync, openSync, readSync, renameSync } from 'node:fs';
import path from 'node:path';
import { isMissing } from '../../core/durable-files.js';
import { ioError, listDir, withIo } from './io.js';
import { isOwnerAlive, journalFileName, parseJournalFileName } from './layout.js';

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
    const dropped = withIo('repair', sealed, () => trimTornTail(sealed));
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
  let fd: number;
  try {
    fd = openSync(file, 'r+');
  } catch (error) {
    if (isMissing(error)) return 0;
    throw error;
  }
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
