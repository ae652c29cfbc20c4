import { closeSync, openSync, readSync } from 'node:fs';
import { endianness } from 'node:os';

/**
 * SQLite's WAL has checksums, but it reads a bad one as the end of the log: at recovery (the first
 * connection after every process closed or died) it silently drops the damaged frame and every
 * transaction committed after it. The wal-index (-shm) still says how many frames were committed, so
 * comparing the two before SQLite opens the file finds that loss instead of hiding it.
 * Formats: https://sqlite.org/fileformat2.html#walformat and https://sqlite.org/walformat.html
 */

export interface WalDamage {
  wal: string;
  /** The first frame (1-based) SQLite would find invalid: it and every frame after it are dropped. */
  frame: number;
  /** The frames the wal-index lists as committed. */
  committed: number;
  /** The frames already copied into the database file: none of those is lost. */
  backfilled: number;
}

const WAL_HEADER_BYTES = 32;
const FRAME_HEADER_BYTES = 24;
/** The low bit says whether checksums read words big-endian. */
const WAL_MAGIC = 0x377f0682;
const FORMAT_VERSION = 3007000;
/** The wal-index starts with two copies of a 48-byte header, then nBackfill (the first field of the checkpoint info). */
const INDEX_HEADER_BYTES = 48;
const INDEX_BYTES = 2 * INDEX_HEADER_BYTES + 4;
/** The wal-index is shared memory: its words are in this machine's byte order. */
const NATIVE_BIG_ENDIAN = endianness() === 'BE';
/** A finding only counts when the index did not change while the WAL was read (another process writing). */
const MAX_ATTEMPTS = 3;

interface IndexHeader {
  committed: number;
  backfilled: number;
  pageSize: number;
  salt: Buffer;
  bytes: Buffer;
}

/**
 * Committed frames of `<dbFile>-wal` that SQLite would drop, if any; undefined when every committed
 * frame not yet in the database is intact, or when there is nothing to compare (no valid wal-index).
 * Reads only. The caller must hold no connection to this database in this process: closing a file
 * descriptor of the -shm would drop that connection's locks on it.
 */
export function findWalDamage(dbFile: string): WalDamage | undefined {
  const wal = `${dbFile}-wal`;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const index = readIndexHeader(`${dbFile}-shm`);
    if (index === undefined || index.committed <= index.backfilled) return undefined;
    const frame = firstInvalidFrame(wal, index);
    if (frame === undefined) return undefined;
    const again = readIndexHeader(`${dbFile}-shm`);
    if (again?.bytes.equals(index.bytes)) {
      return { wal, frame, committed: index.committed, backfilled: index.backfilled };
    }
  }
  return undefined;
}

/** SQLite's running checksum over pairs of 32-bit words, continued from `sums`. */
function checksum(data: Buffer, bigEndian: boolean, sums: [number, number]): [number, number] {
  let [first, second] = sums;
  for (let offset = 0; offset + 8 <= data.length; offset += 8) {
    const a = bigEndian ? data.readUInt32BE(offset) : data.readUInt32LE(offset);
    const b = bigEndian ? data.readUInt32BE(offset + 4) : data.readUInt32LE(offset + 4);
    first = (first + a + second) >>> 0;
    second = (second + b + first) >>> 0;
  }
  return [first, second];
}

function readAt(fd: number, length: number, position: number): Buffer {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const count = readSync(fd, buffer, filled, length - filled, position + filled);
    if (count === 0) break;
    filled += count;
  }
  return buffer.subarray(0, filled);
}

/** Opens a file to read; undefined when it cannot be read (SQLite then reports its own error). */
function openForReading(file: string): number | undefined {
  try {
    return openSync(file, 'r');
  } catch {
    return undefined;
  }
}

/** A valid wal-index header; undefined when missing, half-written or damaged (SQLite rebuilds it then). */
function readIndexHeader(shm: string): IndexHeader | undefined {
  const fd = openForReading(shm);
  if (fd === undefined) return undefined;
  let bytes: Buffer;
  try {
    bytes = readAt(fd, INDEX_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  if (bytes.length < INDEX_BYTES) return undefined;
  const header = bytes.subarray(0, INDEX_HEADER_BYTES);
  if (!header.equals(bytes.subarray(INDEX_HEADER_BYTES, 2 * INDEX_HEADER_BYTES))) return undefined;
  const word = (buffer: Buffer, offset: number): number =>
    NATIVE_BIG_ENDIAN ? buffer.readUInt32BE(offset) : buffer.readUInt32LE(offset);
  if (word(header, 0) !== FORMAT_VERSION || header[12] !== 1) return undefined;
  const [first, second] = checksum(header.subarray(0, 40), NATIVE_BIG_ENDIAN, [0, 0]);
  if (first !== word(header, 40) || second !== word(header, 44)) return undefined;
  const size = NATIVE_BIG_ENDIAN ? header.readUInt16BE(14) : header.readUInt16LE(14);
  return {
    committed: word(header, 16),
    backfilled: word(bytes, 2 * INDEX_HEADER_BYTES),
    // 65536 does not fit in 16 bits: SQLite stores it as 1.
    pageSize: (size & 0xfe00) + ((size & 1) << 16),
    salt: Buffer.from(header.subarray(32, 40)),
    bytes,
  };
}

/** The first committed frame SQLite's recovery would reject, or undefined when all are valid. */
function firstInvalidFrame(wal: string, index: IndexHeader): number | undefined {
  const fd = openForReading(wal);
  // A missing WAL loses every committed frame the database does not have yet.
  if (fd === undefined) return 1;
  try {
    const header = readAt(fd, WAL_HEADER_BYTES, 0);
    if (header.length < WAL_HEADER_BYTES) return 1;
    const magic = header.readUInt32BE(0);
    const bigEndian = (magic & 1) === 1;
    let sums = checksum(header.subarray(0, 24), bigEndian, [0, 0]);
    const headerValid =
      (magic & ~1) >>> 0 === WAL_MAGIC &&
      header.readUInt32BE(4) === FORMAT_VERSION &&
      header.readUInt32BE(8) === index.pageSize &&
      sums[0] === header.readUInt32BE(24) &&
      sums[1] === header.readUInt32BE(28) &&
      header.subarray(16, 24).equals(index.salt);
    if (!headerValid) return 1;
    const frameBytes = FRAME_HEADER_BYTES + index.pageSize;
    for (let frame = 1; frame <= index.committed; frame += 1) {
      const bytes = readAt(fd, frameBytes, WAL_HEADER_BYTES + (frame - 1) * frameBytes);
      if (bytes.length < frameBytes || bytes.readUInt32BE(0) === 0) return frame;
      if (!bytes.subarray(8, 16).equals(index.salt)) return frame;
      sums = checksum(bytes.subarray(0, 8), bigEndian, sums);
      sums = checksum(bytes.subarray(FRAME_HEADER_BYTES), bigEndian, sums);
      if (sums[0] !== bytes.readUInt32BE(16) || sums[1] !== bytes.readUInt32BE(20)) return frame;
    }
    return undefined;
  } finally {
    closeSync(fd);
  }
}
